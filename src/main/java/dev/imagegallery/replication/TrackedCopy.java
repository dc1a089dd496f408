package dev.imagegallery.replication;

import dev.imagegallery.replication.CopyState.Failed;
import dev.imagegallery.replication.CopyState.Pending;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/** One replica's copy job as the {@link CopyExecutor} runs it, and where it stands; guarded by the executor's lock. */
final class TrackedCopy {
    final CopyJob job;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    CopyState state;
    int failedAttempts;
    // From dispatch until finished; worker is the thread while it is inside the copier.
    boolean copying;
    Thread worker;
    Future<?> retry;
    boolean cancelled;

    TrackedCopy(CopyJob job, CopyState state) {
        this.job = job;
        this.state = state;
    }

    /**
     * Cancels the copy: no retry, and an interrupt for a running attempt.
     *
     * @return completes when the running attempt ended; empty when none runs
     */
    Optional<CompletableFuture<Void>> cancel() {
        cancelled = true;
        if (retry != null) {
            retry.cancel(false);
        }
        if (!copying) {
            return Optional.empty();
        }
        if (worker != null) {
            worker.interrupt();
        }
        return Optional.of(stopped);
    }

    /** The attempt that ran ended; a cancelled copy tells whoever waits for it to stop. */
    void ended() {
        copying = false;
        if (cancelled) {
            stopped.complete(null);
        }
    }

    /** Counts a failed attempt: Pending for a retry, or Failed once {@code maxAttempts} failed. */
    CopyState failedAttempt(Throwable failure, int maxAttempts) {
        failedAttempts++;
        String message = failure instanceof ReplicationException ? failure.getMessage() : failure.toString();
        FailureReason reason = failure instanceof ReplicationException e ? e.reason() : FailureReason.Internal;
        return failedAttempts >= maxAttempts
                ? new Failed(reason, message, failedAttempts)
                : new Pending(failedAttempts, reason, message);
    }
}
