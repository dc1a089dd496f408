package dev.imagegallery.replication;

/** Where one replica's replication stands, as the executor knows it. */
public sealed interface CopyState {
    /**
     * Waiting for a worker, or for the backoff before a retry.
     *
     * @param failedAttempts attempts that failed so far
     * @param lastReason why the last attempt failed, or null when none failed
     * @param lastError the message of the last failure, or null when none failed
     */
    record Pending(int failedAttempts, FailureReason lastReason, String lastError) implements CopyState {
        /** Waiting for its first attempt (again, after a reset). */
        public static final Pending FRESH = new Pending(0, null, null);
    }

    /** Being copied: {@code bytesCopied} of {@code totalBytes}. */
    record Copying(long bytesCopied, long totalBytes) implements CopyState {
        /** Percentage copied, 0..100; 100 only when every byte is. */
        public int percent() {
            if (bytesCopied >= totalBytes) {
                return 100;
            }
            return (int) Math.min(99, bytesCopied * 100 / totalBytes);
        }
    }

    /**
     * Copied and verified, or found so in the store.
     *
     * @param location where the replica is below its store's endpoint ({@link ObjectStore#location})
     */
    record Completed(String location) implements CopyState {}

    /**
     * Not given to the executor yet: the replica is to be copied from another one, none of which is
     * complete (a version reads its source once and fans out from the first replica).
     *
     * @param details what it waits for, in words
     */
    record Waiting(String details) implements CopyState {}

    /** Given up after {@code attempts} attempts; {@code message} says what went wrong last. */
    record Failed(FailureReason reason, String message, int attempts) implements CopyState {}
}
