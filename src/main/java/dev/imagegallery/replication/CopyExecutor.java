package dev.imagegallery.replication;

import dev.imagegallery.replication.CopyState.Completed;
import dev.imagegallery.replication.CopyState.Copying;
import dev.imagegallery.replication.CopyState.Failed;
import dev.imagegallery.replication.CopyState.Pending;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * Runs replica copies on a bounded pool, each free slot given out by a {@link CopyQueue}. A failed
 * copy is retried with exponential backoff until {@link ReplicationSettings#maxAttempts()} attempts
 * failed, then the replica is Failed until {@link #reset}. The executor remembers each replica's
 * state, by {@link ReplicaKey}, until it is cancelled, and tells a {@link CopyListener} of every change.
 */
public final class CopyExecutor implements AutoCloseable {
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final ReplicationSettings settings;
    private final VerifiedCopier copier;
    private final CopyThreads threads;
    private final OrderedNotifier notifier;

    private final Object lock = new Object();
    private final Map<ReplicaKey, TrackedCopy> copies = new HashMap<>();
    private final CopyQueue<TrackedCopy> queue;
    private boolean shutDown;

    public CopyExecutor(ReplicationSettings settings, VerifiedCopier copier, CopyListener listener) {
        this.settings = settings;
        this.copier = copier;
        this.queue = new CopyQueue<>(settings, copy -> copy.job.key());
        this.threads = new CopyThreads(settings.maxConcurrentCopies());
        this.notifier = new OrderedNotifier(listener);
    }

    /**
     * Queues the job unless its replica is already known for the same store (queued, copying, waiting
     * to retry, Completed or Failed): then nothing changes. A replica known for another store is
     * cancelled there and queued anew. To retry a Failed one, {@link #reset} it.
     *
     * @return the replica's state after the call
     */
    public CopyState submit(CopyJob job) {
        synchronized (lock) {
            if (shutDown) {
                // The operator is stopping: the replica waits for the next run, which finds it unknown and copies it.
                return Pending.FRESH;
            }
            TrackedCopy known = copies.get(job.key());
            if (known != null && known.job.store().endpoint().equals(job.store().endpoint())) {
                return known.state;
            }
            if (known != null) {
                // The replica moved to another store: what was copied (or is copying) to the old one says nothing of
                // the new.
                cancelWhere(other -> other == known.job);
            }
            TrackedCopy replica = new TrackedCopy(job, Pending.FRESH);
            copies.put(job.key(), replica);
            queue(replica);
            return replica.state;
        }
    }

    /**
     * Records a replica found complete in its store at {@code location}, without copying it, unless
     * the replica is already known. The listener is not told: for whoever watches, nothing changed.
     *
     * @return the replica's state after the call
     */
    public CopyState recordCompleted(CopyJob job, String location) {
        synchronized (lock) {
            return copies.computeIfAbsent(job.key(), key -> new TrackedCopy(job, new Completed(location))).state;
        }
    }

    /** The replica's state, or empty when it was never submitted or was cancelled. */
    public Optional<CopyState> state(ReplicaKey key) {
        return known(key).map(KnownCopy::state);
    }

    /** A replica the executor knows: the job it runs (or ran) and where it stands. */
    public record KnownCopy(CopyJob job, CopyState state) {}

    /** What the executor knows of the replica, or empty when it was never submitted or was cancelled. */
    public Optional<KnownCopy> known(ReplicaKey key) {
        synchronized (lock) {
            return Optional.ofNullable(copies.get(key)).map(replica -> new KnownCopy(replica.job, replica.state));
        }
    }

    /** Queues a Failed replica again with a fresh count of attempts; false when it is not Failed. */
    public boolean reset(ReplicaKey key) {
        synchronized (lock) {
            TrackedCopy replica = copies.get(key);
            if (shutDown || replica == null || !(replica.state instanceof Failed)) {
                return false;
            }
            replica.failedAttempts = 0;
            queue(replica);
            return true;
        }
    }

    /**
     * Queues again, with a fresh count of attempts, every Failed replica whose failure {@code matches}:
     * for when what made them fail may have been mended, such as a store's rotated credentials.
     *
     * @return the replicas queued again
     */
    public List<ReplicaKey> resetWhere(Predicate<Failed> matches) {
        synchronized (lock) {
            List<ReplicaKey> reset = copies.values().stream()
                    .filter(replica -> replica.state instanceof Failed failed && matches.test(failed))
                    .map(replica -> replica.job.key())
                    .toList();
            reset.forEach(this::reset);
            return reset;
        }
    }

    /**
     * Forgets the replica and stops its copy, when its job writes to {@code store}: a replica moving
     * between stores keeps its key, and deleting its old copy must not stop the new one. The future
     * completes once the copy no longer runs; only then may its object be deleted without a late copy
     * writing it again.
     */
    public CompletableFuture<Void> cancel(ReplicaKey key, URI store) {
        return cancelWhere(
                job -> job.key().equals(key) && job.store().endpoint().equals(store));
    }

    /** Forgets every replica of the version and stops its copies, for when the version is deleted. */
    public CompletableFuture<Void> cancelVersion(VersionKey version) {
        return cancelWhere(job -> job.key().version().equals(version));
    }

    /**
     * Stops every copy and starts no other: a cancelled copy leaves at most its staging object, never a
     * committed one, so a later run copies the replica again. Waits at most {@code timeout} for the
     * copies to stop; the listener hears nothing of them.
     *
     * @return whether every copy stopped in time
     */
    public boolean shutdown(Duration timeout) {
        synchronized (lock) {
            shutDown = true;
        }
        cancelWhere(job -> true);
        return threads.stop(timeout);
    }

    /** {@link #shutdown} with a generous wait, then the listener's thread. */
    @Override
    public void close() {
        shutdown(CLOSE_TIMEOUT);
        notifier.close();
    }

    private CompletableFuture<Void> cancelWhere(Predicate<CopyJob> matches) {
        List<CompletableFuture<Void>> stopped = new ArrayList<>();
        synchronized (lock) {
            for (Iterator<TrackedCopy> it = copies.values().iterator(); it.hasNext(); ) {
                TrackedCopy replica = it.next();
                if (matches.test(replica.job)) {
                    it.remove();
                    queue.remove(replica);
                    replica.cancel().ifPresent(stopped::add);
                }
            }
        }
        return CompletableFuture.allOf(stopped.toArray(CompletableFuture[]::new));
    }

    // The methods below run with the lock held.

    private void queue(TrackedCopy replica) {
        setState(replica, Pending.FRESH);
        queue.add(replica);
        dispatch();
    }

    private void setState(TrackedCopy replica, CopyState state) {
        replica.state = state;
        notifier.tell(replica.job.key(), state);
    }

    private void dispatch() {
        if (shutDown) {
            return;
        }
        for (Optional<TrackedCopy> next = queue.start(); next.isPresent(); next = queue.start()) {
            TrackedCopy started = next.get();
            started.copying = true;
            threads.copy(() -> copy(started));
        }
    }

    private void finished(TrackedCopy replica, String location, Throwable failure) {
        queue.release(replica);
        replica.ended();
        // A fenced copy ended because this process lost the Lease: the replica is the new leader's to copy, and
        // this process reports nothing more of it.
        if (!replica.cancelled && !(failure instanceof FencedException)) {
            setState(
                    replica,
                    failure == null ? new Completed(location) : replica.failedAttempt(failure, settings.maxAttempts()));
            if (replica.state instanceof Pending) {
                replica.retry = threads.after(settings.backoff(replica.failedAttempts), () -> retry(replica));
            }
        }
        dispatch();
    }

    // The methods below take the lock themselves.

    private void copy(TrackedCopy replica) {
        synchronized (lock) {
            if (replica.cancelled) {
                finished(replica, null, null);
                return;
            }
            replica.worker = Thread.currentThread();
        }
        String location = null;
        Throwable failure = null;
        try {
            location = copier.replicate(replica.job, (copied, total) -> progressed(replica, copied, total));
        } catch (Throwable e) {
            // Whatever ends a copy, even an Error, must free its slot and be reported.
            failure = e;
        }
        synchronized (lock) {
            replica.worker = null;
            // A cancel may have interrupted this pool thread; the next copy on it must not inherit that.
            Thread.interrupted();
            finished(replica, location, failure);
        }
    }

    private void progressed(TrackedCopy replica, long copied, long total) {
        synchronized (lock) {
            if (!replica.cancelled) {
                setState(replica, new Copying(copied, total));
            }
        }
    }

    private void retry(TrackedCopy replica) {
        synchronized (lock) {
            replica.retry = null;
            if (!replica.cancelled) {
                queue.add(replica);
                dispatch();
            }
        }
    }
}
