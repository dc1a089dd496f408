package dev.imagegallery.placement;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What every store holds, by region and store name; a store not mentioned holds nothing. */
public final class StoreLoads {
    /** No store holds anything. */
    public static final StoreLoads NONE = new StoreLoads(Map.of());

    private final Map<String, Map<String, StoreLoad>> loadsByRegion;

    private StoreLoads(Map<String, Map<String, StoreLoad>> loadsByRegion) {
        this.loadsByRegion = loadsByRegion;
    }

    /** Sums the replicas of the given versions per store; pass every version but the one being placed. */
    public static StoreLoads aggregate(Collection<PlacedVersion> versions) {
        Builder builder = builder();
        versions.forEach(builder::add);
        return builder.build();
    }

    /** A builder that sums what is added per store. */
    public static Builder builder() {
        return new Builder();
    }

    /** What the store holds. */
    public StoreLoad of(String region, String store) {
        return ofRegion(region).getOrDefault(store, StoreLoad.NONE);
    }

    Map<String, StoreLoad> ofRegion(String region) {
        return loadsByRegion.getOrDefault(region, Map.of());
    }

    /** The usage of each of the region's stores, in catalogue order, for the Region's status. */
    public List<StoreUsage> usageOf(CatalogueRegion region) {
        Map<String, StoreLoad> loads = ofRegion(region.name());
        List<StoreUsage> usage = new ArrayList<>(region.stores().size());
        for (CatalogueStore store : region.stores()) {
            StoreLoad load = loads.getOrDefault(store.name(), StoreLoad.NONE);
            usage.add(new StoreUsage(
                    store.name(), store.zone(), load.replicas(), load.bytesUsed(), store.capacityBytes()));
        }
        return usage;
    }

    /** Sums loads per store; not thread-safe. */
    public static final class Builder {
        private final Map<String, Map<String, StoreLoad>> loadsByRegion = new HashMap<>();

        private Builder() {}

        /** Adds replicas and their bytes to what the store holds. */
        public Builder add(String region, String store, long bytes, int replicas) {
            loadsByRegion
                    .computeIfAbsent(region, r -> new HashMap<>())
                    .merge(store, new StoreLoad(bytes, replicas), StoreLoad::plus);
            return this;
        }

        /** Adds every replica of the version to what its store holds. */
        public Builder add(PlacedVersion version) {
            version.replicasByRegion().forEach((region, replicas) -> {
                for (PlacedReplica replica : replicas) {
                    add(region, replica.store(), version.sizeBytes(), 1);
                }
            });
            return this;
        }

        /** The loads added so far. */
        public StoreLoads build() {
            Map<String, Map<String, StoreLoad>> copy = new HashMap<>();
            loadsByRegion.forEach((region, loads) -> copy.put(region, Map.copyOf(loads)));
            return new StoreLoads(Map.copyOf(copy));
        }
    }
}
