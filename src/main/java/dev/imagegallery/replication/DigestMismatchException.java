package dev.imagegallery.replication;

/** The bytes read from a source differ from the expected ones: another SHA-256 digest or size. */
public final class DigestMismatchException extends ReplicationException {
    public DigestMismatchException(String message) {
        super(FailureReason.DigestMismatch, message, null);
    }
}
