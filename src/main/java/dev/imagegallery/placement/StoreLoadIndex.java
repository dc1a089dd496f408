package dev.imagegallery.placement;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What every store holds, kept up to date as versions are placed and removed instead of summed again over
 * every version for each placement: a placement costs the number of stores, not the number of versions.
 * Not thread-safe.
 */
public final class StoreLoadIndex {
    private final Map<String, PlacedVersion> versions = new HashMap<>();
    private final Map<String, Map<String, StoreLoad>> totals = new HashMap<>();

    /** Records the version's placement, in place of what was recorded for it. */
    public void put(PlacedVersion version) {
        remove(version.versionKey());
        versions.put(version.versionKey(), version);
        add(version, 1);
    }

    /** Forgets the version and what its replicas take. */
    public void remove(String versionKey) {
        PlacedVersion known = versions.remove(versionKey);
        if (known != null) {
            add(known, -1);
        }
    }

    /** The placement recorded for the version. */
    public Optional<PlacedVersion> get(String versionKey) {
        return Optional.ofNullable(versions.get(versionKey));
    }

    /** What every store holds. */
    public StoreLoads loads() {
        return without(null);
    }

    /** What every store holds but the replicas of {@code versionKey}: the room another placement of it has. */
    public StoreLoads without(String versionKey) {
        Map<String, Map<String, StoreLoad>> copy = new HashMap<>();
        totals.forEach((region, loads) -> copy.put(region, new HashMap<>(loads)));
        PlacedVersion own = versionKey == null ? null : versions.get(versionKey);
        if (own != null) {
            apply(copy, own, -1);
        }
        Map<String, Map<String, StoreLoad>> frozen = new HashMap<>();
        copy.forEach((region, loads) -> frozen.put(region, Map.copyOf(loads)));
        return new StoreLoads(Map.copyOf(frozen));
    }

    private void add(PlacedVersion version, int sign) {
        apply(totals, version, sign);
    }

    /** Adds ({@code sign} 1) or takes away (-1) the version's replicas; a store left empty is dropped, as in {@link StoreLoads#aggregate}. */
    private static void apply(Map<String, Map<String, StoreLoad>> loads, PlacedVersion version, int sign) {
        version.replicasByRegion().forEach((region, replicas) -> {
            Map<String, StoreLoad> regionLoads = loads.computeIfAbsent(region, r -> new HashMap<>());
            for (PlacedReplica replica : replicas) {
                StoreLoad next = regionLoads
                        .getOrDefault(replica.store(), StoreLoad.NONE)
                        .plus(new StoreLoad(sign * version.sizeBytes(), sign));
                if (next.replicas() == 0) {
                    regionLoads.remove(replica.store());
                } else {
                    regionLoads.put(replica.store(), next);
                }
            }
            if (regionLoads.isEmpty()) {
                loads.remove(region);
            }
        });
    }
}
