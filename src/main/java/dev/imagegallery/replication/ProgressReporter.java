package dev.imagegallery.replication;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * Passes a copy's progress to its listener and its metrics at most once per interval, plus a
 * first report at the start and a final one at the end.
 */
final class ProgressReporter {
    private final ProgressListener listener;
    private final ReplicationMetrics metrics;
    private final String region;
    private final long totalBytes;
    private final Duration interval;
    private final InstantSource clock;
    private Instant lastReport;
    private long reportedBytes;

    ProgressReporter(
            ProgressListener listener,
            ReplicationMetrics metrics,
            String region,
            long totalBytes,
            Duration interval,
            InstantSource clock) {
        this.listener = listener;
        this.metrics = metrics;
        this.region = region;
        this.totalBytes = totalBytes;
        this.interval = interval;
        this.clock = clock;
        report(0);
    }

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
        listener.onProgress(bytesCopied, totalBytes);
    }
}
