package dev.imagegallery.replication;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Checks versions' sources off the reconcile threads: whether the admin's policy allows each source
 * and, when the spec declares no size, the size the source reports. A source that never answers
 * holds one checking thread until its request times out, never a reconcile thread; and a namespace
 * gets a second thread only while no other namespace waits, and never all of them, so one tenant's
 * slow sources do not delay another's.
 *
 * @param <K> what a check is for (a version), told to {@code onDone} when its finding is ready
 */
public final class SourceChecks<K> implements AutoCloseable {
    /** What is known of one version's source. */
    public sealed interface Finding {}

    /** Being checked; the owner hears when done. */
    public record Checking() implements Finding {}

    /** Allowed, and this many bytes long (declared, or as the source reports). */
    public record Usable(long sizeBytes) implements Finding {}

    /** Refused by the admin's policy; the message names the setting only. */
    public record NotAllowed(String message) implements Finding {}

    /** Allowed, but not answering or not telling its size; checked again on the next call. */
    public record Unreachable(String message) implements Finding {}

    private final SourceAccess access;
    private final Consumer<K> onDone;
    private final int threads;
    private final ExecutorService workers;
    private final Object lock = new Object();
    private final Map<K, Check> checks = new HashMap<>();
    // Namespaces in the order they get the next free thread; each holds its waiting checks.
    private final Map<String, Deque<Check>> waiting = new LinkedHashMap<>();
    private final Map<String, Integer> runningPerNamespace = new HashMap<>();
    private int running;

    public SourceChecks(SourceAccess access, int threads, Consumer<K> onDone) {
        this.access = access;
        this.onDone = onDone;
        this.threads = threads;
        this.workers = Executors.newFixedThreadPool(threads, DaemonThreads.named("source-check"));
    }

    /**
     * Starts checking {@code owner}'s source ahead of its first reconcile, when no check is known for
     * this URL. Wakes nobody: the reconcile that asks for the {@link #finding} hears of it.
     */
    public void start(K owner, String namespace, String url, Long declaredSize) {
        synchronized (lock) {
            current(owner, namespace, url, declaredSize);
        }
    }

    /**
     * The finding for {@code owner}'s source, starting a check when none is known for this URL. A
     * check that runs already is waited for, at most {@code patience}: a policy check ends within
     * milliseconds, and its end would otherwise cost the version one more reconcile. A Checking
     * answer means {@code onDone} hears of the end. An Unreachable finding is handed out once, then
     * forgotten, so that the next call checks again.
     */
    public Finding finding(K owner, String namespace, String url, Long declaredSize, Duration patience) {
        synchronized (lock) {
            Check check = current(owner, namespace, url, declaredSize);
            long deadline = System.nanoTime() + patience.toNanos();
            // Each check's end wakes the waiters (run); a queued check is not waited for.
            for (long left = patience.toNanos();
                    check.started && check.finding == null && left > 0;
                    left = deadline - System.nanoTime()) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (check.finding == null) {
                check.awaited = true;
                return new Checking();
            }
            if (check.finding instanceof Unreachable && checks.get(owner) == check) {
                checks.remove(owner);
            }
            return check.finding;
        }
    }

    // Runs with the lock held.
    private Check current(K owner, String namespace, String url, Long declaredSize) {
        Check check = checks.get(owner);
        if (check == null || !check.url.equals(url)) {
            check = new Check(owner, namespace, url, declaredSize);
            checks.put(owner, check);
            waiting.computeIfAbsent(namespace, n -> new ArrayDeque<>()).add(check);
            dispatch();
        }
        return check;
    }

    /** The size found for {@code owner}'s source, if it was found usable; starts nothing. */
    public Optional<Usable> known(K owner) {
        synchronized (lock) {
            Check check = checks.get(owner);
            return check != null && check.finding instanceof Usable usable ? Optional.of(usable) : Optional.empty();
        }
    }

    /** Forgets what is known of {@code owner}'s source (the version is gone). */
    public void forget(K owner) {
        synchronized (lock) {
            Check check = checks.remove(owner);
            if (check != null) {
                Deque<Check> queue = waiting.get(check.namespace);
                if (queue != null) {
                    queue.remove(check);
                }
            }
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }

    // Runs with the lock held: while threads are free, starts the first waiting check of the next
    // namespace that has none running (a served namespace goes to the back of the turn); when none is
    // left, of the next one that holds fewer than all threads but one, so that a lone busy namespace
    // does not wait on itself and a newcomer always finds a thread.
    private void dispatch() {
        while (running < threads && (startBelow(1) || startBelow(threads - 1))) {
            // started one; look again
        }
    }

    /** Starts the first waiting check of the first namespace in turn running fewer than {@code limit} checks. */
    private boolean startBelow(int limit) {
        for (Iterator<Map.Entry<String, Deque<Check>>> it = waiting.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Deque<Check>> namespace = it.next();
            if (namespace.getValue().isEmpty()) {
                it.remove();
            } else if (runningPerNamespace.getOrDefault(namespace.getKey(), 0) < limit) {
                Check check = namespace.getValue().poll();
                it.remove();
                if (!namespace.getValue().isEmpty()) {
                    waiting.put(namespace.getKey(), namespace.getValue());
                }
                running++;
                runningPerNamespace.merge(check.namespace, 1, Integer::sum);
                check.started = true;
                workers.execute(() -> run(check));
                return true;
            }
        }
        return false;
    }

    private void run(Check check) {
        Finding finding = inspect(check);
        boolean wake;
        synchronized (lock) {
            running--;
            runningPerNamespace.computeIfPresent(check.namespace, (namespace, count) -> count == 1 ? null : count - 1);
            check.finding = finding;
            // Only a reconcile that was told Checking waits for this end; one that got the finding needs no other.
            wake = check.awaited && checks.get(check.owner) == check;
            dispatch();
            lock.notifyAll();
        }
        if (wake) {
            onDone.accept(check.owner);
        }
    }

    private Finding inspect(Check check) {
        try {
            if (check.declaredSize != null) {
                access.allowed(check.url);
                return new Usable(check.declaredSize);
            }
            return new Usable(access.source(check.url).probeSize());
        } catch (SourceNotAllowedException e) {
            return new NotAllowed(e.getMessage());
        } catch (IOException | RuntimeException e) {
            return new Unreachable(e.getMessage());
        }
    }

    private final class Check {
        final K owner;
        final String namespace;
        final String url;
        final Long declaredSize;
        // Guarded by the lock.
        Finding finding;
        boolean started;
        boolean awaited;

        Check(K owner, String namespace, String url, Long declaredSize) {
            this.owner = owner;
            this.namespace = namespace;
            this.url = url;
            this.declaredSize = declaredSize;
        }
    }
}
