package dev.imagegallery.reconciler;

import dev.imagegallery.status.StatusWriter;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Paces the status writes of a parent whose only change is a count its versions move (versions
 * held, store loads): at most one a {@code countInterval} per object, so that a stream of new
 * versions costs each parent one write an interval rather than one a version. The first change after
 * a quiet interval, and any change besides counts (a condition, the latest version), is written at
 * once, with the counts of the moment.
 */
public final class CountPacing {
    private final Duration interval;
    private final Clock clock;
    private final Map<ResourceID, Instant> lastWrites = new ConcurrentHashMap<>();

    public CountPacing(Duration interval) {
        this(interval, Clock.systemUTC());
    }

    CountPacing(Duration interval, Clock clock) {
        this.interval = interval;
        this.clock = clock;
    }

    /**
     * Writes {@code next} with {@code write} unless it differs from the object's status only where
     * {@code withoutCounts} blanks it (in the status as maps, lists and values) and the object's last
     * write is less than an interval ago: then writes nothing and reconciles again when the interval ends.
     */
    public <S, R extends CustomResource<?, S>> UpdateControl<R> publish(
            R resource, S next, Consumer<Map<String, Object>> withoutCounts, Supplier<UpdateControl<R>> write) {
        ResourceID id = ResourceID.fromResource(resource);
        Instant now = clock.instant();
        Instant due =
                Objects.requireNonNullElse(lastWrites.get(id), Instant.MIN).plus(interval);
        if (now.isBefore(due) && onlyCountsDiffer(resource.getStatus(), next, withoutCounts)) {
            return UpdateControl.<R>noUpdate().rescheduleAfter(Duration.between(now, due));
        }
        UpdateControl<R> control = write.get();
        if (control.isPatchStatus()) {
            lastWrites.put(id, now);
        }
        return control;
    }

    /**
     * What a parent's counts touch in its status: the {@code fields} named, the number of objects its
     * share covers, and its conditions' messages, which say the counts in words (their type, status and
     * reason still count as a change).
     */
    @SuppressWarnings("unchecked")
    public static Consumer<Map<String, Object>> counts(String... fields) {
        return status -> {
            for (String field : fields) {
                status.remove(field);
            }
            if (status.get("sharing") instanceof Map<?, ?> sharing) {
                ((Map<String, Object>) sharing).remove("objects");
            }
            if (status.get("conditions") instanceof List<?> conditions) {
                conditions.forEach(condition -> ((Map<String, Object>) condition).remove("message"));
            }
        };
    }

    /** Drops what is remembered of a deleted object. */
    public void forget(CustomResource<?, ?> resource) {
        lastWrites.remove(ResourceID.fromResource(resource));
    }

    @SuppressWarnings("unchecked")
    private static boolean onlyCountsDiffer(Object current, Object next, Consumer<Map<String, Object>> withoutCounts) {
        if (current == null) {
            return false;
        }
        Object before = StatusWriter.fields(current);
        Object after = StatusWriter.fields(next);
        if (before.equals(after)) {
            return false;
        }
        withoutCounts.accept((Map<String, Object>) before);
        withoutCounts.accept((Map<String, Object>) after);
        return before.equals(after);
    }
}
