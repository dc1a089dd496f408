package dev.imagegallery.replication;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Copies one replica from its source into its store, streaming, while computing the SHA-256
 * digest and reporting progress. The object becomes visible in the store only once every byte was
 * verified; on any failure nothing of it is left behind. Thread-safe: one copier serves all jobs.
 */
public final class VerifiedCopier {
    private static final System.Logger LOG = System.getLogger(VerifiedCopier.class.getName());

    private final ReplicationMetrics metrics;
    private final Duration progressInterval;
    private final WriteFence fence;
    private final InstantSource clock;
    private final AtomicLong attempts = new AtomicLong();

    /**
     * @param progressInterval the least time between two progress reports of one copy
     * @param fence checked before each write into a store and before each commit
     */
    public VerifiedCopier(ReplicationMetrics metrics, Duration progressInterval, WriteFence fence) {
        this(metrics, progressInterval, fence, InstantSource.system());
    }

    VerifiedCopier(ReplicationMetrics metrics, Duration progressInterval, WriteFence fence, InstantSource clock) {
        this.metrics = metrics;
        this.progressInterval = progressInterval;
        this.fence = fence;
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

    /**
     * What the source must still send after what earlier attempts staged: nothing when they staged the
     * whole image (an HTTP source would refuse a range from the end, 416); empty when there is no
     * prefix to go on from, or the source cannot start midway.
     */
    private static Optional<InputStream> rest(CopyJob job, StagedPrefix prefix, long size) throws IOException {
        if (prefix.length() == 0 || prefix.length() > size) {
            return Optional.empty();
        }
        return prefix.length() == size
                ? Optional.of(InputStream.nullInputStream())
                : job.source().openFrom(prefix.length());
    }

    private void copy(CopyJob job, long size, ProgressListener listener) throws IOException {
        Instant start = clock.instant();
        ObjectStore store = job.store();
        Attempt attempt = new Attempt(job.sha256(), fence, attempts.incrementAndGet());
        StagedPrefix prefix = store.takeOver(job.key(), attempt);
        Optional<InputStream> rest = rest(job, prefix, size);
        if (rest.isEmpty()) {
            prefix = StagedPrefix.none();
        } else {
            LOG.log(
                    Level.INFO,
                    "resuming the copy of replica {0} at byte {1} of {2}, after what an earlier attempt staged",
                    job.key(),
                    prefix.length(),
                    size);
        }
        ProgressReporter progress = new ProgressReporter(
                listener, metrics, job.key().region(), prefix.length(), size, progressInterval, clock);
        InputStream source = rest.isPresent() ? rest.get() : job.source().open();
        try {
            copy(job, size, attempt.from(prefix.length()), prefix, source, progress);
        } catch (DigestMismatchException e) {
            if (prefix.length() == 0) {
                throw e;
            }
            // What was staged may be of other bytes (a version deleted and made again under the same name): the
            // source gets its verdict from a copy of every byte. The failed attempt left nothing to take over.
            LOG.log(Level.INFO, "the resumed copy of replica {0} did not verify: copying it from the start", job.key());
            copy(job, size, listener);
            return;
        }
        metrics.copyDuration(job.key().region(), Duration.between(start, clock.instant()));
    }

    /** Copies what follows {@code prefix}, read from {@code source}, as {@code attempt}. */
    private void copy(
            CopyJob job, long size, Attempt attempt, StagedPrefix prefix, InputStream source, ProgressReporter progress)
            throws IOException {
        ObjectStore store = job.store();
        try (VerifyingInputStream content =
                VerifyingInputStream.start(source, job.source().uri(), job.sha256(), size, prefix, progress)) {
            try (ObjectStore.StagedObject staged =
                    store.stage(job.key(), attempt, new FencedInputStream(content, fence), size)) {
                content.verifyEnd();
                staged.commit();
            } catch (IOException e) {
                // What the store made of a failing source is less telling than the source's own failure,
                // and a cancelled or fenced copy is no failure of the store.
                throw FencedInputStream.fenced(e)
                        .map(IOException.class::cast)
                        .or(content::failure)
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
    }
}
