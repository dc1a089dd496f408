package dev.imagegallery.testing;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.ResourceAction;
import io.javaoperatorsdk.operator.processing.event.source.controller.ResourceEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.core.ConditionTimeoutException;

/**
 * What a running operator has done, through java-operator-sdk's metrics hook: which objects it has
 * reconciled, whether a reconcile runs now, and whether an event waits for one. The positive signal
 * a test waits for before it asserts that something did not happen.
 */
public final class ReconcileActivity implements Metrics {
    /**
     * How long the operator must stay idle to count as settled. Work off the reconcile threads (a
     * source check, a copy) ends in an event; with the tests' local sources and stores that comes
     * within milliseconds of the reconcile that started it.
     */
    private static final Duration SETTLED = Duration.ofMillis(500);

    /** One object's last event and reconciles, by the order in which they happened. */
    private record Seen(long lastEvent, long lastStart, long lastFinish, int reconciles) {
        /** Every event that came for the object has been followed by a reconcile, and that reconcile has ended. */
        boolean settled() {
            return lastEvent < lastStart && lastStart < lastFinish;
        }
    }

    private final AtomicLong clock = new AtomicLong();
    private final AtomicInteger running = new AtomicInteger();
    private final Map<Key, Seen> seen = new ConcurrentHashMap<>();

    /** An object of one kind: a Gallery and an ImageDefinition of one name in one namespace are two. */
    private record Key(String kind, ResourceID id) {
        static Key of(HasMetadata resource) {
            return new Key(resource.getKind(), ResourceID.fromResource(resource));
        }

        static Key of(Event event, Map<String, Object> metadata) {
            GroupVersionKind gvk = (GroupVersionKind) metadata.get(Constants.RESOURCE_GVK_KEY);
            // java-operator-sdk passes every controller's kind with its events.
            return new Key(gvk.getKind(), event.getRelatedCustomResourceID());
        }
    }

    @Override
    public void eventReceived(Event event, Map<String, Object> metadata) {
        long now = clock.incrementAndGet();
        if (event instanceof ResourceEvent resourceEvent && resourceEvent.getAction() == ResourceAction.DELETED) {
            // Gone: no reconcile follows.
            seen.remove(Key.of(event, metadata));
            return;
        }
        seen.compute(
                Key.of(event, metadata),
                (id, s) -> s == null
                        ? new Seen(now, 0, 0, 0)
                        : new Seen(now, s.lastStart(), s.lastFinish(), s.reconciles()));
    }

    @Override
    public void reconciliationStarted(HasMetadata resource, Map<String, Object> metadata) {
        running.incrementAndGet();
        long now = clock.incrementAndGet();
        seen.compute(
                Key.of(resource),
                (id, s) -> s == null
                        ? new Seen(0, now, 0, 0)
                        : new Seen(s.lastEvent(), now, s.lastFinish(), s.reconciles()));
    }

    @Override
    public void reconciliationFinished(HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
        long now = clock.incrementAndGet();
        seen.compute(
                Key.of(resource),
                (id, s) -> s == null
                        ? new Seen(0, 0, now, 1)
                        : new Seen(s.lastEvent(), s.lastStart(), now, s.reconciles() + 1));
        running.decrementAndGet();
    }

    /** How many reconciles of {@code resource} have ended so far. */
    public int reconciles(HasMetadata resource) {
        Seen s = seen.get(Key.of(resource));
        return s == null ? 0 : s.reconciles();
    }

    /**
     * Whether the operator is idle now: no reconcile runs, every event it received has been
     * reconciled, and every object of {@code expected} has been reconciled at least once.
     */
    public boolean idle(Collection<? extends HasMetadata> expected) {
        return running.get() == 0
                && seen.values().stream().allMatch(Seen::settled)
                && expected.stream().map(o -> seen.get(Key.of(o))).allMatch(s -> s != null && s.reconciles() > 0);
    }

    /** What keeps the operator from being idle: the reconciles running, and the objects not reconciled since their last event. */
    private String unsettled(Collection<? extends HasMetadata> expected) {
        List<String> objects = new ArrayList<>();
        seen.forEach((key, s) -> {
            if (!s.settled()) {
                objects.add(key + " " + s);
            }
        });
        expected.stream()
                .map(Key::of)
                .filter(key -> seen.get(key) == null || seen.get(key).reconciles() == 0)
                .forEach(key -> objects.add(key + " not reconciled yet"));
        return running.get() + " reconciles running; " + objects;
    }

    /** Waits until every object of {@code expected} has been reconciled and the operator has stayed {@link #idle} for a moment. */
    public void awaitSettled(Collection<? extends HasMetadata> expected, Duration timeout) {
        awaitSettled(expected, timeout, SETTLED);
    }

    /** The same, idle for {@code quiet}: longer than a reconcile's reschedule, to have it made. */
    public void awaitSettled(Collection<? extends HasMetadata> expected, Duration timeout, Duration quiet) {
        long[] idleSince = {0};
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(50)).until(() -> {
                if (!idle(expected)) {
                    idleSince[0] = 0;
                    return false;
                }
                if (idleSince[0] == 0) {
                    idleSince[0] = System.nanoTime();
                }
                return System.nanoTime() - idleSince[0] >= quiet.toNanos();
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the operator did not settle within " + timeout + ": " + unsettled(expected), e);
        }
    }
}
