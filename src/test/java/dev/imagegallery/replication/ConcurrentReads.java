package dev.imagegallery.replication;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many test sources are being read at once, and the most there ever were: a bound on running
 * copies holds if the most never passed it, a fact a test can assert after the copies end.
 */
final class ConcurrentReads {
    private final AtomicInteger now = new AtomicInteger();
    private final AtomicInteger most = new AtomicInteger();

    void started() {
        most.accumulateAndGet(now.incrementAndGet(), Math::max);
    }

    void ended() {
        now.decrementAndGet();
    }

    int most() {
        return most.get();
    }
}
