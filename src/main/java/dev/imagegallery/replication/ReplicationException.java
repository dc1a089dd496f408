package dev.imagegallery.replication;

import java.io.IOException;

/** A replication failure whose {@link #reason()} a controller can report as it is. */
public abstract class ReplicationException extends IOException {
    private final FailureReason reason;

    protected ReplicationException(FailureReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public final FailureReason reason() {
        return reason;
    }
}
