package dev.imagegallery.replication;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * Copies one replica from its source into its store, streaming, while computing the SHA-256
 * digest and reporting progress. The object becomes visible in the store only once every byte was
 * verified; on any failure nothing of it is left behind. Thread-safe: one copier serves all jobs.
 */
public final class VerifiedCopier {
    private final ReplicationMetrics metrics;
    private final Duration progressInterval;
    private final InstantSource clock;

    /** @param progressInterval the least time between two progress reports of one copy */
    public VerifiedCopier(ReplicationMetrics metrics, Duration progressInterval) {
        this(metrics, progressInterval, InstantSource.system());
    }

    VerifiedCopier(ReplicationMetrics metrics, Duration progressInterval, InstantSource clock) {
        this.metrics = metrics;
        this.progressInterval = progressInterval;
        this.clock = clock;
    }

    /**
     * Makes the job's replica complete: returns at once when the store already holds it verified,
     * copies it otherwise. Cancelled by interrupting the calling thread.
     *
     * @return where the replica is below the store's endpoint ({@link ObjectStore#location})
     * @throws ReplicationException when the source, the store or the bytes fail, saying which
     */
    public String replicate(CopyJob job, ProgressListener progress) throws IOException {
        String region = job.key().region();
        try {
            long size = job.sizeBytes() != null ? job.sizeBytes() : job.source().probeSize();
            if (job.store().verify(job.key(), job.sha256(), size)) {
                metrics.replicaAlreadyPresent(region);
                progress.onProgress(size, size);
            } else {
                copy(job, size, progress);
            }
            return job.store().location(job.key());
        } catch (ReplicationException e) {
            metrics.copyFailed(region, e.reason());
            throw e;
        }
    }

    private void copy(CopyJob job, long size, ProgressListener listener) throws IOException {
        Instant start = clock.instant();
        ObjectStore store = job.store();
        ProgressReporter progress =
                new ProgressReporter(listener, metrics, job.key().region(), size, progressInterval, clock);
        try (VerifyingInputStream content =
                VerifyingInputStream.start(job.source().open(), job.source().uri(), job.sha256(), size, progress)) {
            try (ObjectStore.StagedObject staged = store.stage(job.key(), job.sha256(), content, size)) {
                content.verifyEnd();
                staged.commit();
            } catch (IOException e) {
                // What the store made of a failing source is less telling than the source's own failure,
                // and a cancelled copy is no failure of the store.
                throw content.failure()
                        .orElseGet(() -> e instanceof ReplicationException || e instanceof InterruptedIOException
                                ? e
                                : new StoreUnavailableException(
                                        "writing replica " + job.key() + " to store " + store.endpoint() + " failed: "
                                                + e,
                                        e));
            } finally {
                progress.finish(content.bytesRead());
            }
        }
        metrics.copyDuration(job.key().region(), Duration.between(start, clock.instant()));
    }
}
