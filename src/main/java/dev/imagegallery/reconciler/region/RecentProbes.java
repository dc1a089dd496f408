package dev.imagegallery.reconciler.region;

import dev.imagegallery.api.Store;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A store found reachable is taken as reachable for a while without asking it again: a Region is
 * reconciled each time a version's replicas move its loads, and each of those reconciles would
 * otherwise probe every one of its stores over the network, on a reconcile thread. An unreachable
 * store is probed at every reconcile (the Region's own recheck paces those), a changed store spec is
 * probed at once, and {@link #forget} makes every store be probed again (a Secret changed, a copy
 * failed at a store).
 */
final class RecentProbes implements StoreProbe {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private final StoreProbe probe;
    private final Duration reuse;
    private final Clock clock;
    /** When each store, by its whole spec, was last found reachable. */
    private final Map<String, Instant> reachableAt = new ConcurrentHashMap<>();

    RecentProbes(StoreProbe probe, Duration reuse, Clock clock) {
        this.probe = probe;
        this.reuse = reuse;
        this.clock = clock;
    }

    @Override
    public Result probe(Store store) {
        String spec = SERIALIZATION.asJson(store);
        Instant now = clock.instant();
        Instant reachable = reachableAt.get(spec);
        if (reachable != null && now.isBefore(reachable.plus(reuse))) {
            return Result.ok();
        }
        Result result = probe.probe(store);
        if (result.reachable()) {
            reachableAt.put(spec, now);
        } else {
            reachableAt.remove(spec);
        }
        return result;
    }

    /** Every store is probed again at its next reconcile. */
    void forget() {
        reachableAt.clear();
    }
}
