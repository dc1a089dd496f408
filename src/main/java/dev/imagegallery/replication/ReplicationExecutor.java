package dev.imagegallery.replication;

import dev.imagegallery.replication.ReplicaState.Completed;
import dev.imagegallery.replication.ReplicaState.Copying;
import dev.imagegallery.replication.ReplicaState.Failed;
import dev.imagegallery.replication.ReplicaState.Pending;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Runs replica copies on a bounded pool: at most {@link ReplicationSettings#maxConcurrentCopies()}
 * at once, at most {@link ReplicationSettings#maxConcurrentCopiesPerRegion()} into one region and at
 * most {@link ReplicationSettings#maxConcurrentCopiesPerNamespace()} for one namespace; a free slot
 * goes to the namespace with the fewest copies running, so one tenant cannot keep another waiting.
 * A failed copy is retried with exponential backoff until
 * {@link ReplicationSettings#maxAttempts()} attempts failed, then the replica is Failed until
 * {@link #reset}. Jobs are keyed by {@link ReplicaKey}; the executor remembers each replica's state
 * until it is cancelled, and tells a {@link ReplicationListener} of every change.
 */
public final class ReplicationExecutor implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ReplicationExecutor.class.getName());
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private final ReplicationSettings settings;
  private final ReplicaCopier copier;
  private final ReplicationListener listener;
  private final ExecutorService workers;
  private final ScheduledExecutorService retries;
  // One thread, fed under the lock, keeps notifications in order and the listener out of the lock.
  private final ExecutorService notifier;

  private final Object lock = new Object();
  private final Map<ReplicaKey, Replica> replicas = new HashMap<>();
  private final Deque<Replica> ready = new ArrayDeque<>();
  private final Map<String, Integer> runningPerRegion = new HashMap<>();
  private final Map<String, Integer> runningPerNamespace = new HashMap<>();
  private int running;
  private boolean shutDown;

  public ReplicationExecutor(ReplicationSettings settings, ReplicaCopier copier, ReplicationListener listener) {
    this.settings = settings;
    this.copier = copier;
    this.listener = listener;
    // Never more threads than copies allowed at once: dispatch starts a copy only when one may run.
    this.workers = Executors.newFixedThreadPool(settings.maxConcurrentCopies(), daemonThreads("replication-copy"));
    this.retries = Executors.newSingleThreadScheduledExecutor(daemonThreads("replication-retry"));
    this.notifier = Executors.newSingleThreadExecutor(daemonThreads("replication-notify"));
  }

  /**
   * Queues the job unless its replica is already known for the same store (queued, copying, waiting
   * to retry, Completed or Failed): then nothing changes. A replica known for another store is
   * cancelled there and queued anew. To retry a Failed one, {@link #reset} it.
   *
   * @return the replica's state after the call
   */
  public ReplicaState submit(ReplicaJob job) {
    synchronized (lock) {
      if (shutDown) {
        // The operator is stopping: the replica waits for the next run, which finds it unknown and copies it.
        return Pending.FRESH;
      }
      Replica known = replicas.get(job.key());
      if (known != null && known.job.store().endpoint().equals(job.store().endpoint())) {
        return known.state;
      }
      if (known != null) {
        // The replica moved to another store: what was copied (or is copying) to the old one says nothing of the new.
        cancelWhere(other -> other == known.job);
      }
      Replica replica = new Replica(job);
      replicas.put(job.key(), replica);
      queue(replica);
      return replica.state;
    }
  }

  /**
   * Records a replica found complete in its store, without copying it, unless the replica is already
   * known. The listener is not told: for whoever watches, nothing changed.
   *
   * @return the replica's state after the call
   */
  public ReplicaState recordCompleted(ReplicaJob job) {
    synchronized (lock) {
      return replicas.computeIfAbsent(job.key(), key -> {
        Replica replica = new Replica(job);
        replica.state = new Completed();
        return replica;
      }).state;
    }
  }

  /** The replica's state, or empty when it was never submitted or was cancelled. */
  public Optional<ReplicaState> state(ReplicaKey key) {
    synchronized (lock) {
      return Optional.ofNullable(replicas.get(key)).map(replica -> replica.state);
    }
  }

  /** The states of all known replicas of a version, ordered by region and index. */
  public Map<ReplicaKey, ReplicaState> states(VersionKey version) {
    Map<ReplicaKey, ReplicaState> states = new LinkedHashMap<>();
    synchronized (lock) {
      replicas.values().stream()
          .filter(replica -> replica.job.key().version().equals(version))
          .sorted(Comparator.comparing((Replica replica) -> replica.job.key().region()).thenComparingInt(replica -> replica.job.key().index()))
          .forEach(replica -> states.put(replica.job.key(), replica.state));
    }
    return states;
  }

  /** Queues a Failed replica again with a fresh count of attempts; false when it is not Failed. */
  public boolean reset(ReplicaKey key) {
    synchronized (lock) {
      Replica replica = replicas.get(key);
      if (shutDown || replica == null || !(replica.state instanceof Failed)) {
        return false;
      }
      replica.failedAttempts = 0;
      queue(replica);
      return true;
    }
  }

  /**
   * Forgets the replica and stops its copy. The future completes once the copy no longer runs;
   * only then may its object be deleted without a late copy writing it again.
   */
  public CompletableFuture<Void> cancel(ReplicaKey key) {
    return cancelWhere(job -> job.key().equals(key));
  }

  /**
   * {@link #cancel}, but only when the replica's job writes to {@code store}: a replica moving between
   * stores keeps its key, and deleting its old copy must not stop the new one.
   */
  public CompletableFuture<Void> cancel(ReplicaKey key, URI store) {
    return cancelWhere(job -> job.key().equals(key) && job.store().endpoint().equals(store));
  }

  /** {@link #cancel} for every replica of the version, for when the version is deleted. */
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
    workers.shutdown();
    retries.shutdownNow();
    try {
      return workers.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** {@link #shutdown} with a generous wait, then the listener's thread. */
  @Override
  public void close() {
    shutdown(CLOSE_TIMEOUT);
    notifier.shutdown();
  }

  private CompletableFuture<Void> cancelWhere(Predicate<ReplicaJob> matches) {
    List<CompletableFuture<Void>> stopped = new ArrayList<>();
    synchronized (lock) {
      for (Iterator<Replica> it = replicas.values().iterator(); it.hasNext(); ) {
        Replica replica = it.next();
        if (matches.test(replica.job)) {
          it.remove();
          replica.cancelled = true;
          ready.remove(replica);
          if (replica.retry != null) {
            replica.retry.cancel(false);
          }
          if (replica.copying) {
            if (replica.worker != null) {
              replica.worker.interrupt();
            }
            stopped.add(replica.stopped);
          }
        }
      }
    }
    return CompletableFuture.allOf(stopped.toArray(CompletableFuture[]::new));
  }

  // The methods below run with the lock held.

  private void queue(Replica replica) {
    setState(replica, Pending.FRESH);
    ready.add(replica);
    dispatch();
  }

  private void setState(Replica replica, ReplicaState state) {
    replica.state = state;
    ReplicaKey key = replica.job.key();
    notifier.execute(() -> notifyListener(key, state));
  }

  // Each free slot goes to the namespace with the fewest copies running (the earliest queued among
  // equals), within the region and namespace bounds: a tenant that queued many copies first does not
  // keep another's waiting.
  private void dispatch() {
    if (shutDown) {
      return;
    }
    while (running < settings.maxConcurrentCopies()) {
      Replica next = null;
      int fewest = Integer.MAX_VALUE;
      for (Replica replica : ready) {
        ReplicaKey key = replica.job.key();
        int ofNamespace = runningPerNamespace.getOrDefault(key.version().namespace(), 0);
        if (ofNamespace < fewest && ofNamespace < settings.maxConcurrentCopiesPerNamespace()
            && runningPerRegion.getOrDefault(key.region(), 0) < settings.maxConcurrentCopiesPerRegion()) {
          next = replica;
          fewest = ofNamespace;
        }
      }
      if (next == null) {
        return;
      }
      Replica started = next;
      ready.remove(started);
      running++;
      runningPerRegion.merge(started.job.key().region(), 1, Integer::sum);
      runningPerNamespace.merge(started.job.key().version().namespace(), 1, Integer::sum);
      started.copying = true;
      workers.execute(() -> copy(started));
    }
  }

  private void finished(Replica replica, Throwable failure) {
    running--;
    runningPerRegion.computeIfPresent(replica.job.key().region(), (region, count) -> count == 1 ? null : count - 1);
    runningPerNamespace.computeIfPresent(replica.job.key().version().namespace(), (namespace, count) -> count == 1 ? null : count - 1);
    replica.copying = false;
    if (replica.cancelled) {
      replica.stopped.complete(null);
    } else if (failure == null) {
      setState(replica, new Completed());
    } else {
      replica.failedAttempts++;
      String message = failure instanceof ReplicationException ? failure.getMessage() : failure.toString();
      FailureReason reason = failure instanceof ReplicationException e ? e.reason() : FailureReason.Internal;
      if (replica.failedAttempts >= settings.maxAttempts()) {
        setState(replica, new Failed(reason, message, replica.failedAttempts));
      } else {
        setState(replica, new Pending(replica.failedAttempts, reason, message));
        Duration backoff = settings.backoff(replica.failedAttempts);
        replica.retry = retries.schedule(() -> retry(replica), backoff.toNanos(), TimeUnit.NANOSECONDS);
      }
    }
    dispatch();
  }

  // The methods below take the lock themselves.

  private void copy(Replica replica) {
    synchronized (lock) {
      if (replica.cancelled) {
        finished(replica, null);
        return;
      }
      replica.worker = Thread.currentThread();
    }
    Throwable failure = null;
    try {
      copier.replicate(replica.job, (copied, total) -> progressed(replica, copied, total));
    } catch (Throwable e) {
      // Whatever ends a copy, even an Error, must free its slot and be reported.
      failure = e;
    }
    synchronized (lock) {
      replica.worker = null;
      // A cancel may have interrupted this pool thread; the next copy on it must not inherit that.
      Thread.interrupted();
      finished(replica, failure);
    }
  }

  private void progressed(Replica replica, long copied, long total) {
    synchronized (lock) {
      if (!replica.cancelled) {
        setState(replica, new Copying(copied, total));
      }
    }
  }

  private void retry(Replica replica) {
    synchronized (lock) {
      replica.retry = null;
      if (!replica.cancelled) {
        ready.add(replica);
        dispatch();
      }
    }
  }

  private void notifyListener(ReplicaKey key, ReplicaState state) {
    try {
      listener.onStateChange(key, state);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "replication listener failed on " + key + " " + state, e);
    }
  }

  private static ThreadFactory daemonThreads(String name) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** One replica's job and where it stands; guarded by the executor's lock. */
  private static final class Replica {
    final ReplicaJob job;
    final CompletableFuture<Void> stopped = new CompletableFuture<>();
    ReplicaState state;
    int failedAttempts;
    // From dispatch until finished; worker is the thread while it is inside the copier.
    boolean copying;
    Thread worker;
    Future<?> retry;
    boolean cancelled;

    Replica(ReplicaJob job) {
      this.job = job;
    }
  }
}
