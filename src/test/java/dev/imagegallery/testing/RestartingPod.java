package dev.imagegallery.testing;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A packaged operator run as a pod's container is: started again whenever it exits, as the kubelet
 * does under {@code restartPolicy: Always}. The kubelet's back-off (10 s doubling to 5 min) is
 * shortened to 1 s doubling to 8 s, reset by a start that stays up; the host name, so the Lease
 * identity's prefix, stays the pod's.
 */
public final class RestartingPod implements AutoCloseable {
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(8);

    private final String name;
    private final AtomicInteger restarts = new AtomicInteger();
    private final Thread kubelet;
    private volatile PackagedOperator container;
    private volatile boolean closed;

    private RestartingPod(String name) {
        this.name = name;
        this.container = PackagedOperator.start(name, Map.of());
        this.kubelet = new Thread(this::restartWhenExited, "kubelet-" + name);
        kubelet.setDaemon(true);
        kubelet.start();
    }

    public static RestartingPod start(String name) {
        return new RestartingPod(name);
    }

    public String name() {
        return name;
    }

    /** The process running now. */
    public PackagedOperator container() {
        return container;
    }

    /** How many times the container was started again after it exited. */
    public int restarts() {
        return restarts.get();
    }

    private void restartWhenExited() {
        Duration backoff = FIRST_BACKOFF;
        while (!closed) {
            if (container.awaitExit(Duration.ofMillis(200)).isEmpty()) {
                continue;
            }
            TestOperator.release(container);
            sleep(backoff);
            if (closed) {
                return;
            }
            try {
                container = PackagedOperator.start(name, Map.of());
                restarts.incrementAndGet();
                backoff = FIRST_BACKOFF;
            } catch (RuntimeException | AssertionError e) {
                // Exited again while starting: wait longer, as CrashLoopBackOff does.
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            kubelet.join(Duration.ofSeconds(120).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        container.close();
    }
}
