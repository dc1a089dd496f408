package dev.imagegallery.replication;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * Passes a copy's progress to its listener and its metrics at most once per interval, plus a
 * first report at the start and a final one at the end. A resumed copy reports the replica's bytes
 * to its listener, what an earlier attempt staged included, and only the bytes it copied itself to
 * the metrics.
 */
final class ProgressReporter {
    private final ProgressListener listener;
    private final ReplicationMetrics metrics;
    private final String region;
    private final long resumedAt;
    private final long totalBytes;
    private final Duration interval;
    private final InstantSource clock;
    private Instant lastReport;
    private long reportedBytes;

    ProgressReporter(
            ProgressListener listener,
            ReplicationMetrics metrics,
            String region,
            long resumedAt,
            long totalBytes,
            Duration interval,
            InstantSource clock) {
        this.listener = listener;
        this.metrics = metrics;
        this.region = region;
        this.resumedAt = resumedAt;
        this.totalBytes = totalBytes;
        this.interval = interval;
        this.clock = clock;
        report(0);
    }

    /** @param bytesCopied the bytes copied by this copy, after the {@code resumedAt} an earlier one staged */
    void advance(long bytesCopied) {
        if (Duration.between(lastReport, clock.instant()).compareTo(interval) >= 0) {
            report(bytesCopied);
        }
    }

    void finish(long bytesCopied) {
        report(bytesCopied);
    }

    private void report(long bytesCopied) {
        lastReport = clock.instant();
        if (bytesCopied > reportedBytes) {
            metrics.bytesCopied(region, bytesCopied - reportedBytes);
            reportedBytes = bytesCopied;
        }
        listener.onProgress(resumedAt + bytesCopied, totalBytes);
    }
}
