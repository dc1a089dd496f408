package dev.imagegallery.replication;

import java.time.Duration;

/**
 * Hooks for counters and timers of replication, per target region. Kept free of any metrics
 * library so that the operator can bind one (Micrometer). Calls come from
 * copying threads and must not block.
 */
public interface ReplicationMetrics {
    /** {@code bytes} more were copied into the region, reported as a copy goes on, not only at its end. */
    void bytesCopied(String region, long bytes);

    /** A copy into the region completed and was verified, after {@code duration}. */
    void copyDuration(String region, Duration duration);

    /** An attempt to copy into the region failed; retries count again. */
    void copyFailed(String region, FailureReason reason);

    /** A replica was found complete in its store and not copied again. */
    void replicaAlreadyPresent(String region);
}
