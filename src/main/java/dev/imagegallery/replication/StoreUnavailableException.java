package dev.imagegallery.replication;

import java.util.EnumSet;
import java.util.Set;

/**
 * A store cannot be used: it cannot be reached, refused an operation such as a write, refused the
 * credentials, presented a certificate the store's CA does not vouch for, or lacks its bucket.
 */
public final class StoreUnavailableException extends ReplicationException {
    /** The reasons a store can fail for; the rest belong to sources and bytes. */
    public static final Set<FailureReason> STORE_REASONS = EnumSet.of(
            FailureReason.StoreUnavailable,
            FailureReason.AuthenticationFailed,
            FailureReason.CertificateInvalid,
            FailureReason.BucketNotFound);

    public StoreUnavailableException(String message) {
        this(message, null);
    }

    public StoreUnavailableException(String message, Throwable cause) {
        this(FailureReason.StoreUnavailable, message, cause);
    }

    public StoreUnavailableException(FailureReason reason, String message, Throwable cause) {
        super(reason, message, cause);
        if (!STORE_REASONS.contains(reason)) {
            throw new IllegalArgumentException("not a store's failure: " + reason);
        }
    }
}
