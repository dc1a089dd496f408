package dev.imagegallery.placement;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Everything one placement of version "ns/v" depends on but its current replicas, for the property
 * tests; each {@link Update} changes one region of it.
 */
record World(
        long sizeBytes,
        List<CatalogueRegion> regions,
        List<RegionRequest> requests,
        Map<String, Map<String, StoreLoad>> loads) {
    static final String VERSION_KEY = "ns/v";

    Catalogue catalogue() {
        return Catalogue.of(regions);
    }

    PlacementRequest request() {
        return new PlacementRequest(VERSION_KEY, sizeBytes, requests);
    }

    /** The world's loads plus the given versions' replicas. */
    StoreLoads storeLoads(List<PlacedVersion> placedVersions) {
        StoreLoads.Builder builder = StoreLoads.builder();
        loads.forEach((region, stores) ->
                stores.forEach((store, load) -> builder.add(region, store, load.bytesUsed(), load.replicas())));
        placedVersions.forEach(builder::add);
        return builder.build();
    }

    StoreLoad load(String region, String store) {
        return loads.getOrDefault(region, Map.of()).getOrDefault(store, StoreLoad.NONE);
    }

    RegionRequest requestAt(int index) {
        return requests.get(Math.floorMod(index, requests.size()));
    }

    CatalogueRegion regionAt(int index) {
        return regions.get(Math.floorMod(index, regions.size()));
    }

    World withRequest(RegionRequest request) {
        List<RegionRequest> changed = new ArrayList<>(requests);
        changed.replaceAll(old -> old.region().equals(request.region()) ? request : old);
        return new World(sizeBytes, regions, changed, loads);
    }

    /** Targets the region when it is not yet a target, else stops targeting it unless it is the only target. */
    World withTargetToggled(RegionRequest request) {
        List<RegionRequest> changed = new ArrayList<>(requests);
        if (!changed.removeIf(old -> old.region().equals(request.region()))) {
            changed.add(request);
        }
        return changed.isEmpty() ? this : new World(sizeBytes, regions, changed, loads);
    }

    World withRegion(String name, UnaryOperator<List<CatalogueStore>> changeStores) {
        List<CatalogueRegion> changed = new ArrayList<>(regions);
        changed.replaceAll(old -> old.name().equals(name)
                ? new CatalogueRegion(name, old.zones(), changeStores.apply(new ArrayList<>(old.stores())))
                : old);
        return new World(sizeBytes, changed, requests, loads);
    }

    World withLoad(String region, String store, StoreLoad load) {
        Map<String, Map<String, StoreLoad>> changed = new HashMap<>(loads);
        Map<String, StoreLoad> ofRegion = new HashMap<>(changed.getOrDefault(region, Map.of()));
        ofRegion.put(store, load);
        changed.put(region, ofRegion);
        return new World(sizeBytes, regions, requests, changed);
    }

    /** One change to one region of the world. */
    sealed interface Update {
        /** The region the update changes. */
        String region(World world);

        World applyTo(World world);
    }

    /** Asks a target region for another replica count. */
    record SetCount(int target, int replicas) implements Update {
        public String region(World world) {
            return world.requestAt(target).region();
        }

        public World applyTo(World world) {
            RegionRequest old = world.requestAt(target);
            return world.withRequest(new RegionRequest(old.region(), replicas, old.storageType()));
        }
    }

    /** Asks a target region for another storage type. */
    record SetType(int target, StorageType type) implements Update {
        public String region(World world) {
            return world.requestAt(target).region();
        }

        public World applyTo(World world) {
            RegionRequest old = world.requestAt(target);
            return world.withRequest(new RegionRequest(old.region(), old.replicas(), type));
        }
    }

    /** Adds a catalogue region to the targets, or removes it from them. */
    record ToggleTarget(int region, RegionRequest request) implements Update {
        public String region(World world) {
            return world.regionAt(region).name();
        }

        public World applyTo(World world) {
            return world.withTargetToggled(new RegionRequest(region(world), request.replicas(), request.storageType()));
        }
    }

    /** Other versions fill or empty a store. */
    record SetLoad(int region, int store, StoreLoad load) implements Update {
        public String region(World world) {
            return world.regionAt(region).name();
        }

        public World applyTo(World world) {
            CatalogueRegion changed = world.regionAt(region);
            if (changed.stores().isEmpty()) {
                return world;
            }
            return world.withLoad(
                    changed.name(),
                    changed.stores()
                            .get(Math.floorMod(store, changed.stores().size()))
                            .name(),
                    load);
        }
    }

    /** The admin removes a store from the catalogue. */
    record RemoveStore(int region, int store) implements Update {
        public String region(World world) {
            return world.regionAt(region).name();
        }

        public World applyTo(World world) {
            return world.withRegion(region(world), stores -> {
                if (!stores.isEmpty()) {
                    stores.remove(Math.floorMod(store, stores.size()));
                }
                return stores;
            });
        }
    }

    /** The admin resizes a store, or makes it unlimited (null). */
    record SetCapacity(int region, int store, Long capacityBytes) implements Update {
        public String region(World world) {
            return world.regionAt(region).name();
        }

        public World applyTo(World world) {
            return world.withRegion(region(world), stores -> {
                if (!stores.isEmpty()) {
                    int index = Math.floorMod(store, stores.size());
                    CatalogueStore old = stores.get(index);
                    stores.set(
                            index,
                            new CatalogueStore(
                                    old.name(),
                                    old.zone(),
                                    capacityBytes,
                                    old.storageTypes(),
                                    old.replicasPerVersion()));
                }
                return stores;
            });
        }
    }
}
