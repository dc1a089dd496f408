package dev.imagegallery.reconciler.region;

import dev.imagegallery.api.Condition;
import dev.imagegallery.api.RegionSpec;
import dev.imagegallery.api.RegionStatus;
import dev.imagegallery.api.Store;
import dev.imagegallery.audit.StoreAudit;
import dev.imagegallery.audit.StoreAuditor;
import dev.imagegallery.placement.StoreUsage;
import dev.imagegallery.reconciler.PlacementInputs;
import dev.imagegallery.status.Conditions;
import dev.imagegallery.status.Outcome;
import dev.imagegallery.status.Reason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    /** The condition that tells what the store audit found. */
    public static final String ORPHANED_OBJECTS = "OrphanedObjects";
    /** How many orphans of a store the condition names; the count says how many there are. */
    private static final int NAMED_ORPHANS = 3;

    /**
     * @param overlapping stores whose endpoint overlaps an earlier Region's store, with that store (StoreEndpoints)
     * @param audits the last audit of each store that had one
     */
    public static RegionStatus calculate(
            RegionSpec spec,
            RegionStatus previous,
            long generation,
            Map<String, StoreProbe.Result> probes,
            List<StoreUsage> load,
            Map<String, String> overlapping,
            Map<String, StoreAuditor.Audit> audits,
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
            usage.orphanedObjects = Optional.ofNullable(audits.get(store.name))
                    .map(audit -> audit.findings().map(f -> f.orphans().size()).orElse(null))
                    .orElseGet(() -> orphansBefore(previous, store.name));
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
        // Until this process audited a store, what the last audit found stands (a restart writes nothing).
        orphanedObjects(spec, audits, generation)
                .ifPresent(condition -> Conditions.set(status.conditions, condition, now));
        return status;
    }

    /** What the previous status said of the store's orphans, for a store not audited since the operator started. */
    private static Integer orphansBefore(RegionStatus previous, String store) {
        return previous == null || previous.stores == null
                ? null
                : previous.stores.stream()
                        .filter(s -> store.equals(s.name))
                        .findFirst()
                        .map(s -> s.orphanedObjects)
                        .orElse(null);
    }

    /**
     * OrphanedObjects: True when an audited store holds objects no version refers to, naming the first
     * few of each; none until a store of the Region could be audited.
     */
    private static Optional<Condition> orphanedObjects(
            RegionSpec spec, Map<String, StoreAuditor.Audit> audits, long generation) {
        List<String> found = new ArrayList<>();
        boolean audited = false;
        for (Store store : spec.stores) {
            var findings = Optional.ofNullable(audits.get(store.name)).flatMap(StoreAuditor.Audit::findings);
            audited |= findings.isPresent();
            findings.map(StoreAudit.Findings::orphans)
                    .filter(orphans -> !orphans.isEmpty())
                    .ifPresent(orphans -> found.add("store " + store.name + " holds " + orphans.size()
                            + " objects no image version refers to: "
                            + String.join(", ", orphans.subList(0, Math.min(NAMED_ORPHANS, orphans.size())))
                            + (orphans.size() > NAMED_ORPHANS ? ", ..." : "")));
        }
        if (!audited) {
            return Optional.empty();
        }
        return Optional.of(Conditions.condition(
                ORPHANED_OBJECTS,
                !found.isEmpty(),
                found.isEmpty() ? Reason.NoOrphans : Reason.OrphansFound,
                found.isEmpty()
                        ? "The audited stores hold only objects the image versions refer to"
                        : String.join("; ", found),
                generation));
    }
}
