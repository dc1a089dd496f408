package dev.imagegallery.replication;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The threads a {@link CopyExecutor} copies on and waits out backoffs on, and their stop. */
final class CopyThreads {
    private final ExecutorService workers;
    private final ScheduledExecutorService retries;

    /** @param copies copies allowed at once: never more threads, since a copy starts only when one may run */
    CopyThreads(int copies) {
        this.workers = Executors.newFixedThreadPool(copies, DaemonThreads.named("replication-copy"));
        this.retries = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("replication-retry"));
    }

    void copy(Runnable copy) {
        workers.execute(copy);
    }

    Future<?> after(Duration backoff, Runnable retry) {
        return retries.schedule(retry, backoff.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Starts nothing more, drops the waiting retries and waits at most {@code timeout} for running copies to end. */
    boolean stop(Duration timeout) {
        workers.shutdown();
        retries.shutdownNow();
        try {
            return workers.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
