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
        StoreLoads.Builder loads = StoreLoads.builder();
        totals.forEach((region, stores) ->
                stores.forEach((store, load) -> loads.add(region, store, load.bytesUsed(), load.replicas())));
        PlacedVersion own = versionKey == null ? null : versions.get(versionKey);
        if (own != null) {
            own.replicasByRegion()
                    .forEach((region, replicas) ->
                            replicas.forEach(replica -> loads.add(region, replica.store(), -own.sizeBytes(), -1)));
        }
        return loads.build();
    }

    private void add(PlacedVersion version, int sign) {
        version.replicasByRegion().forEach((region, replicas) -> {
            Map<String, StoreLoad> regionLoads = totals.computeIfAbsent(region, r -> new HashMap<>());
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
                totals.remove(region);
            }
        });
    }
}
