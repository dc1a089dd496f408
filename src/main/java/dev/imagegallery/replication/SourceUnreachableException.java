package dev.imagegallery.replication;

/** The image source is missing, refused to be read, or broke off while being read. */
public final class SourceUnreachableException extends ReplicationException {
    public SourceUnreachableException(String message) {
        this(message, null);
    }

    public SourceUnreachableException(String message, Throwable cause) {
        super(FailureReason.SourceUnreachable, message, cause);
    }
}
