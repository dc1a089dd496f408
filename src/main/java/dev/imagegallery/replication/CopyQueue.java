package dev.imagegallery.replication;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The copies waiting for a slot and the slots running copies hold. A free slot goes to the
 * namespace with the fewest copies running (the earliest queued among equals), within the global,
 * per-region and per-namespace bounds: a tenant that queued many copies first does not keep another
 * waiting. Not thread-safe: its owner's lock guards it.
 *
 * @param <T> a copy, whose {@link ReplicaKey} gives its namespace and region
 */
final class CopyQueue<T> {
    private final ReplicationSettings settings;
    private final Function<T, ReplicaKey> keyOf;
    private final Deque<T> waiting = new ArrayDeque<>();
    private final Map<String, Integer> runningPerRegion = new HashMap<>();
    private final Map<String, Integer> runningPerNamespace = new HashMap<>();
    private int running;

    CopyQueue(ReplicationSettings settings, Function<T, ReplicaKey> keyOf) {
        this.settings = settings;
        this.keyOf = keyOf;
    }

    void add(T copy) {
        waiting.add(copy);
    }

    /** Takes a waiting copy out of the queue; a running one keeps its slot until {@link #release}. */
    void remove(T copy) {
        waiting.remove(copy);
    }

    /** The copy that gets a free slot now, which it holds until {@link #release}; empty when none may start. */
    Optional<T> start() {
        if (running >= settings.maxConcurrentCopies()) {
            return Optional.empty();
        }
        T next = null;
        int fewest = Integer.MAX_VALUE;
        for (T copy : waiting) {
            ReplicaKey key = keyOf.apply(copy);
            int ofNamespace = runningPerNamespace.getOrDefault(key.version().namespace(), 0);
            if (ofNamespace < fewest
                    && ofNamespace < settings.maxConcurrentCopiesPerNamespace()
                    && runningPerRegion.getOrDefault(key.region(), 0) < settings.maxConcurrentCopiesPerRegion()) {
                next = copy;
                fewest = ofNamespace;
            }
        }
        if (next != null) {
            ReplicaKey key = keyOf.apply(next);
            waiting.remove(next);
            running++;
            runningPerRegion.merge(key.region(), 1, Integer::sum);
            runningPerNamespace.merge(key.version().namespace(), 1, Integer::sum);
        }
        return Optional.ofNullable(next);
    }

    /** Frees the slot of a copy that {@link #start} handed out. */
    void release(T copy) {
        ReplicaKey key = keyOf.apply(copy);
        running--;
        runningPerRegion.computeIfPresent(key.region(), (region, count) -> count == 1 ? null : count - 1);
        runningPerNamespace.computeIfPresent(
                key.version().namespace(), (namespace, count) -> count == 1 ? null : count - 1);
    }
}
