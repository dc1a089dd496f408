package dev.imagegallery.replication;

import java.time.Duration;

/** Replication metrics that record nothing, for tests that do not look at them. */
final class NoMetrics implements ReplicationMetrics {
    @Override
    public void bytesCopied(String region, long bytes) {}

    @Override
    public void copyDuration(String region, Duration duration) {}

    @Override
    public void copyFailed(String region, FailureReason reason) {}

    @Override
    public void replicaAlreadyPresent(String region) {}
}
