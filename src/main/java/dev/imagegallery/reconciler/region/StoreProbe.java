package dev.imagegallery.reconciler.region;

/** Tells whether a store's endpoint can take replicas right now. */
@FunctionalInterface
public interface StoreProbe {
    Result probe(String endpoint);

    /** Whether the endpoint answered, and what the user should read if it did not. */
    record Result(boolean reachable, String detail) {
        public static Result ok() {
            return new Result(true, null);
        }

        public static Result unreachable(String detail) {
            return new Result(false, detail);
        }
    }
}
