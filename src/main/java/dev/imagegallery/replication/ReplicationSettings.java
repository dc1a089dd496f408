package dev.imagegallery.replication;

import java.time.Duration;

/**
 * Limits and timing of the {@link CopyExecutor}.
 *
 * @param maxConcurrentCopies copies running at once, over all regions
 * @param maxConcurrentCopiesPerRegion copies running at once into one region
 * @param maxConcurrentCopiesPerNamespace copies running at once for one namespace (tenant)
 * @param maxAttempts attempts per replica before it is Failed (1 means no retry)
 * @param initialBackoff wait before the first retry; each further retry waits twice as long
 * @param maxBackoff the longest wait between two attempts
 */
public record ReplicationSettings(
        int maxConcurrentCopies,
        int maxConcurrentCopiesPerRegion,
        int maxConcurrentCopiesPerNamespace,
        int maxAttempts,
        Duration initialBackoff,
        Duration maxBackoff) {
    public ReplicationSettings {
        requirePositive(maxConcurrentCopies, "maxConcurrentCopies");
        requirePositive(maxConcurrentCopiesPerRegion, "maxConcurrentCopiesPerRegion");
        requirePositive(maxConcurrentCopiesPerNamespace, "maxConcurrentCopiesPerNamespace");
        requirePositive(maxAttempts, "maxAttempts");
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("want 0 <= initialBackoff <= maxBackoff: " + this);
        }
    }

    /** The wait before the attempt after {@code failedAttempts} failed ones. */
    Duration backoff(int failedAttempts) {
        Duration wait = initialBackoff;
        for (int retry = 1; retry < failedAttempts && wait.compareTo(maxBackoff) < 0; retry++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }

    private static void requirePositive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1: " + value);
        }
    }
}
