package dev.imagegallery.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Short ways to build catalogues and requests, and to read results, for the placement tests. */
final class Fixtures {
    static final long GIB = 1L << 30;

    private Fixtures() {}

    static CatalogueStore store(String name, String zone, Long capacityBytes, StorageType... types) {
        return new CatalogueStore(
                name,
                zone,
                capacityBytes,
                types.length == 0 ? EnumSet.of(StorageType.Standard_LRS) : EnumSet.of(types[0], types));
    }

    /** An unlimited store offering Standard_LRS. */
    static CatalogueStore store(String name, String zone) {
        return store(name, zone, null);
    }

    static CatalogueRegion region(String name, List<String> zones, CatalogueStore... stores) {
        return new CatalogueRegion(name, zones, List.of(stores));
    }

    /**
     * A region with zones z1..zN, each with stores zK-s1..zK-sM, unlimited and offering every type but,
     * without zones, Standard_ZRS.
     */
    static CatalogueRegion regularRegion(String name, int zoneCount, int storesPerZone) {
        List<String> zones = new ArrayList<>();
        List<CatalogueStore> stores = new ArrayList<>();
        EnumSet<StorageType> types = zoneCount == 0
                ? EnumSet.of(StorageType.Standard_LRS, StorageType.Premium_LRS)
                : EnumSet.allOf(StorageType.class);
        for (int zone = 1; zone <= Math.max(1, zoneCount); zone++) {
            String zoneName = zoneCount == 0 ? null : "z" + zone;
            if (zoneName != null) {
                zones.add(zoneName);
            }
            for (int store = 1; store <= storesPerZone; store++) {
                stores.add(new CatalogueStore(
                        (zoneName == null ? "" : zoneName + "-") + "s" + store, zoneName, null, types));
            }
        }
        return new CatalogueRegion(name, zones, stores);
    }

    static Catalogue catalogue(CatalogueRegion... regions) {
        return Catalogue.of(List.of(regions));
    }

    static RegionRequest ask(String region, int replicas) {
        return new RegionRequest(region, replicas, StorageType.Standard_LRS);
    }

    static RegionRequest ask(String region, int replicas, StorageType type) {
        return new RegionRequest(region, replicas, type);
    }

    static PlacementRequest version(String key, long sizeBytes, RegionRequest... regions) {
        return new PlacementRequest(key, sizeBytes, List.of(regions));
    }

    static PlacementResult placeFresh(PlacementRequest version, Catalogue catalogue) {
        return PlacementEngine.place(version, catalogue, Map.of(), StoreLoads.NONE);
    }

    /** The replicas the region was placed with; fails the test when the region failed. */
    static List<PlacedReplica> placed(PlacementResult result, String region) {
        RegionPlacement placement = result.region(region).orElseThrow();
        assertThat(placement).as("placement of %s", region).isInstanceOf(RegionPlacement.Placed.class);
        return placement.replicas();
    }

    static RegionPlacement.Failed failed(PlacementResult result, String region) {
        RegionPlacement placement = result.region(region).orElseThrow();
        assertThat(placement).as("placement of %s", region).isInstanceOf(RegionPlacement.Failed.class);
        return (RegionPlacement.Failed) placement;
    }

    private static Map<String, Long> countBy(List<PlacedReplica> replicas, Function<PlacedReplica, String> key) {
        return replicas.stream().collect(Collectors.groupingBy(key, TreeMap::new, Collectors.counting()));
    }

    static Map<String, Long> perZone(List<PlacedReplica> replicas) {
        return countBy(replicas, replica -> String.valueOf(replica.zone()));
    }

    static Map<String, Long> perStore(List<PlacedReplica> replicas) {
        return countBy(replicas, PlacedReplica::store);
    }
}
