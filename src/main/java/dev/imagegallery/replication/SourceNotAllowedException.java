package dev.imagegallery.replication;

/** The admin's source policy does not let the operator read this source; the message names the setting only. */
public final class SourceNotAllowedException extends ReplicationException {
    public SourceNotAllowedException(String message) {
        super(FailureReason.SourceNotAllowed, message, null);
    }
}
