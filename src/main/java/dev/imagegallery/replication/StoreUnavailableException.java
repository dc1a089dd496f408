package dev.imagegallery.replication;

/** A store cannot be reached, or refused an operation such as a write. */
public final class StoreUnavailableException extends ReplicationException {
    public StoreUnavailableException(String message) {
        this(message, null);
    }

    public StoreUnavailableException(String message, Throwable cause) {
        super(FailureReason.StoreUnavailable, message, cause);
    }
}
