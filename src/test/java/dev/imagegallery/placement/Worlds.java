package dev.imagegallery.placement;

import static dev.imagegallery.placement.Fixtures.GIB;

import dev.imagegallery.testing.Draw;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Random but small worlds and updates: up to 3 regions of 0..3 zones and 1..6 stores, replicas of
 * 1..3 GiB on stores of 1..12 GiB or unlimited, sometimes already overfilled by other versions, and
 * sometimes a target region missing from the catalogue.
 */
final class Worlds {
    private static final String MISSING_REGION = "ghost";
    private static final int MAX_REPLICAS = 8;
    /** How many updates or count changes a sequence has at the most. */
    private static final int MAX_STEPS = 8;
    /** Updates pick targets, regions and stores by an index taken modulo their number, so that any index is valid. */
    private static final int MAX_INDEX = 9;

    private Worlds() {}

    static World world(Random random) {
        List<CatalogueRegion> catalogue = new ArrayList<>();
        int regionCount = Draw.between(random, 1, 3);
        for (int i = 0; i < regionCount; i++) {
            catalogue.add(region(random, "r" + i));
        }
        long sizeBytes = Draw.between(random, 1, 3) * GIB;
        return new World(sizeBytes, catalogue, requests(random, catalogue), loads(random, catalogue));
    }

    /** 1..8 updates, of every kind alike. */
    static List<World.Update> updates(Random random) {
        return Draw.list(random, 1, MAX_STEPS, Worlds::update);
    }

    /** 1..8 replica counts, one for each change of count in a sequence. */
    static List<Integer> replicaCounts(Random random) {
        return Draw.list(random, 1, MAX_STEPS, Worlds::replicaCount);
    }

    private static World.Update update(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> new World.SetCount(index(random), replicaCount(random));
            case 1 -> new World.SetType(index(random), storageType(random));
            case 2 -> new World.ToggleTarget(index(random), request(random, "any"));
            case 3 -> new World.SetLoad(index(random), index(random), storeLoad(random));
            case 4 -> new World.RemoveStore(index(random), index(random));
            default -> new World.SetCapacity(index(random), index(random), capacity(random));
        };
    }

    private static int index(Random random) {
        return Draw.between(random, 0, MAX_INDEX);
    }

    private static int replicaCount(Random random) {
        return Draw.between(random, 1, MAX_REPLICAS);
    }

    private static CatalogueRegion region(Random random, String name) {
        List<String> zones = IntStream.range(0, Draw.between(random, 0, 3))
                .mapToObj(z -> "z" + z)
                .toList();
        List<CatalogueStore> stores = new ArrayList<>();
        int storeCount = Draw.between(random, 1, 6);
        for (int i = 0; i < storeCount; i++) {
            stores.add(store(random, "s" + i, zones));
        }
        return new CatalogueRegion(name, zones, stores);
    }

    /** A store of the zones; a region without zones has no zone-redundant stores, as the CRD demands. */
    private static CatalogueStore store(Random random, String name, List<String> zones) {
        String zone = zones.isEmpty() ? null : Draw.oneOf(random, zones);
        List<StorageType> offerable = new ArrayList<>(
                zones.isEmpty()
                        ? List.of(StorageType.Standard_LRS, StorageType.Premium_LRS)
                        : List.of(StorageType.values()));
        Collections.shuffle(offerable, random);
        EnumSet<StorageType> offered = EnumSet.copyOf(offerable.subList(0, Draw.between(random, 1, offerable.size())));
        return new CatalogueStore(name, zone, capacity(random), offered, replicasPerVersion(random));
    }

    /** A registry (one replica of a version) one store in five, as in regions that serve KubeVirt. */
    private static int replicasPerVersion(Random random) {
        return random.nextInt(5) == 0 ? 1 : CatalogueStore.ANY_NUMBER;
    }

    /** 1..12 GiB, or unlimited (null) three times in ten. */
    private static Long capacity(Random random) {
        return random.nextDouble() < 0.3 ? null : Draw.between(random, 1, 12) * GIB;
    }

    /** Mostly Standard_LRS, as in real galleries: 6 in 10, the other two types 2 in 10 each. */
    private static StorageType storageType(Random random) {
        int roll = random.nextInt(10);
        return roll < 6 ? StorageType.Standard_LRS : roll < 8 ? StorageType.Standard_ZRS : StorageType.Premium_LRS;
    }

    /** One request per catalogue region, and now and then one for a region the catalogue lacks. */
    private static List<RegionRequest> requests(Random random, List<CatalogueRegion> catalogue) {
        List<RegionRequest> requests = new ArrayList<>();
        for (CatalogueRegion region : catalogue) {
            requests.add(request(random, region.name()));
        }
        if (random.nextDouble() < 0.15) {
            requests.add(request(random, MISSING_REGION));
        }
        return requests;
    }

    private static RegionRequest request(Random random, String region) {
        return new RegionRequest(region, replicaCount(random), storageType(random));
    }

    /** Loads in half-GiB steps, so replicas of odd sizes leave stores partly free. */
    private static StoreLoad storeLoad(Random random) {
        return new StoreLoad(Draw.between(random, 0, 28) * GIB / 2, Draw.between(random, 0, 20));
    }

    /** Half the stores already hold other versions' replicas. */
    private static Map<String, Map<String, StoreLoad>> loads(Random random, List<CatalogueRegion> catalogue) {
        Map<String, Map<String, StoreLoad>> loads = new HashMap<>();
        for (CatalogueRegion region : catalogue) {
            for (CatalogueStore store : region.stores()) {
                if (random.nextBoolean()) {
                    loads.computeIfAbsent(region.name(), r -> new HashMap<>()).put(store.name(), storeLoad(random));
                }
            }
        }
        return loads;
    }
}
