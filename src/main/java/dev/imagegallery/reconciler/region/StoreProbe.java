package dev.imagegallery.reconciler.region;

import dev.imagegallery.api.Store;
import dev.imagegallery.replication.FailureReason;

/** Tells whether a store can take replicas right now. */
@FunctionalInterface
public interface StoreProbe {
    Result probe(Store store);

    /**
     * Whether the store answered, and if not why, as a reason and in words the user should read.
     *
     * @param reason null when reachable; else StoreUnavailable, AuthenticationFailed, CertificateInvalid or BucketNotFound
     */
    record Result(boolean reachable, FailureReason reason, String detail) {
        public static Result ok() {
            return new Result(true, null, null);
        }

        public static Result unreachable(String detail) {
            return failed(FailureReason.StoreUnavailable, detail);
        }

        public static Result failed(FailureReason reason, String detail) {
            return new Result(false, reason, detail);
        }
    }
}
