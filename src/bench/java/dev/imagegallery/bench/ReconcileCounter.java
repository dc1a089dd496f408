package dev.imagegallery.bench;

import dev.imagegallery.api.ImageVersion;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Counts the operator's reconciles (through java-operator-sdk's metrics hook) and tells when it has gone idle. */
final class ReconcileCounter implements Metrics {
    private final AtomicLong versionReconciles = new AtomicLong();
    private final AtomicLong allReconciles = new AtomicLong();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicLong lastActivity = new AtomicLong(System.nanoTime());

    @Override
    public void reconciliationStarted(HasMetadata resource, Map<String, Object> metadata) {
        running.incrementAndGet();
        lastActivity.set(System.nanoTime());
        allReconciles.incrementAndGet();
        if (resource instanceof ImageVersion) {
            versionReconciles.incrementAndGet();
        }
    }

    @Override
    public void reconciliationFinished(HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
        running.decrementAndGet();
        lastActivity.set(System.nanoTime());
    }

    long versionReconciles() {
        return versionReconciles.get();
    }

    long allReconciles() {
        return allReconciles.get();
    }

    /** Waits until no reconcile has run or started for {@code quiet}, and at least {@code versions} versions were reconciled. */
    void awaitIdle(Duration quiet, long versions, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (running.get() > 0
                || versionReconciles.get() < versions
                || System.nanoTime() - lastActivity.get() < quiet.toNanos()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the operator did not go idle within " + timeout + " ("
                        + versionReconciles.get() + " version reconciles, " + running.get() + " running)");
            }
            Thread.sleep(200);
        }
    }
}
