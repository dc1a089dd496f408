package dev.imagegallery.reconciler.region;

import dev.imagegallery.api.RegionSpec;
import dev.imagegallery.api.RegionStatus;
import dev.imagegallery.api.Store;
import dev.imagegallery.placement.StoreUsage;
import dev.imagegallery.reconciler.PlacementInputs;
import dev.imagegallery.status.Conditions;
import dev.imagegallery.status.Outcome;
import dev.imagegallery.status.Reason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Computes a Region's status from its spec, the probe of each store and the replicas placed on them. Pure. */
public final class RegionStatusCalculator {
    private RegionStatusCalculator() {}

    /** The stores a Region's status, if any, records as unreachable. */
    public static List<String> unreachableBefore(RegionStatus status) {
        if (status == null || status.stores == null) {
            return List.of();
        }
        return status.stores.stream()
                .filter(store -> Boolean.FALSE.equals(store.reachable))
                .map(store -> store.name)
                .toList();
    }

    /** @param overlapping stores whose endpoint overlaps an earlier Region's store, with that store (StoreEndpoints) */
    public static RegionStatus calculate(
            RegionSpec spec,
            RegionStatus previous,
            long generation,
            Map<String, StoreProbe.Result> probes,
            List<StoreUsage> load,
            Map<String, String> overlapping,
            Instant now) {
        RegionStatus status = new RegionStatus();
        status.observedGeneration = generation;
        status.stores = new ArrayList<>();
        List<String> unreachable = new ArrayList<>();
        for (Store store : spec.stores) {
            StoreProbe.Result probe = probes.get(store.name);
            RegionStatus.StoreUsage usage = new RegionStatus.StoreUsage();
            usage.name = store.name;
            usage.zone = store.zone;
            usage.capacityBytes = PlacementInputs.capacityBytes(store);
            load.stream().filter(l -> l.store().equals(store.name)).findFirst().ifPresent(l -> {
                usage.replicas = l.replicas();
                usage.bytesUsed = l.bytesUsed();
            });
            usage.reachable = probe.reachable();
            status.stores.add(usage);
            if (!probe.reachable()) {
                usage.reason = probe.reason().name();
                // The probe names the endpoint itself.
                unreachable.add("store " + store.name + ": " + probe.reason() + ": " + probe.detail());
            }
        }
        int total = spec.stores.size();
        status.reachableStores = (total - unreachable.size()) + "/" + total;
        Outcome outcome = !overlapping.isEmpty()
                ? Outcome.stalled(
                        Reason.EndpointConflict,
                        overlapping.entrySet().stream()
                                        .map(o -> "store " + o.getKey() + " has the endpoint of, or one inside, "
                                                + o.getValue() + ", created earlier")
                                        .collect(Collectors.joining("; "))
                                + ": give each store a place of its own; no replica is placed on it meanwhile")
                : unreachable.isEmpty()
                        ? Outcome.ready(
                                Reason.StoresReachable,
                                total == 1 ? "The store answered" : "All " + total + " stores answered")
                        : Outcome.inProgress(Reason.StoreUnreachable, String.join("; ", unreachable));
        status.conditions = Conditions.apply(previous == null ? null : previous.conditions, generation, outcome, now);
        return status;
    }
}
