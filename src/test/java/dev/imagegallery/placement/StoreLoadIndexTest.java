package dev.imagegallery.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The index kept step by step holds what summing every version's placement again gives. */
class StoreLoadIndexTest {
    private static final List<String> REGIONS = List.of("west", "east", "north");
    private static final List<String> STORES = List.of("s0", "s1", "s2", "s3");
    private static final int VERSION_KEYS = 40;
    private static final int STEPS = 5_000;

    @Test
    void afterAnySequenceOfPlacementsAndRemovalsTheIndexEqualsTheFullAggregate() {
        for (long seed = 0; seed < 10; seed++) {
            Random random = new Random(seed);
            StoreLoadIndex index = new StoreLoadIndex();
            Map<String, PlacedVersion> placed = new HashMap<>();
            for (int step = 0; step < STEPS; step++) {
                String key = "ns/v" + random.nextInt(VERSION_KEYS);
                if (random.nextInt(4) == 0) {
                    index.remove(key);
                    placed.remove(key);
                } else {
                    PlacedVersion version = randomPlacement(random, key);
                    index.put(version);
                    placed.put(key, version);
                }
                String other = "ns/v" + random.nextInt(VERSION_KEYS);
                Map<String, PlacedVersion> othersOnly = new HashMap<>(placed);
                othersOnly.remove(other);

                assertSameLoads(index.loads(), StoreLoads.aggregate(placed.values()), seed, step);
                assertSameLoads(index.without(other), StoreLoads.aggregate(othersOnly.values()), seed, step);
                assertThat(index.get(key)).isEqualTo(java.util.Optional.ofNullable(placed.get(key)));
            }
        }
    }

    @Test
    void aVersionPlacedAgainReplacesItsEarlierPlacementAndRemovingItLeavesNothing() {
        StoreLoadIndex index = new StoreLoadIndex();
        index.put(new PlacedVersion("ns/a", 10, Map.of("west", List.of(new PlacedReplica(0, "s0", null)))));
        index.put(new PlacedVersion("ns/a", 10, Map.of("east", List.of(new PlacedReplica(0, "s1", null)))));

        assertThat(index.loads().of("west", "s0")).isEqualTo(StoreLoad.NONE);
        assertThat(index.loads().of("east", "s1")).isEqualTo(new StoreLoad(10, 1));

        index.remove("ns/a");
        assertThat(index.loads().of("east", "s1")).isEqualTo(StoreLoad.NONE);
    }

    private static PlacedVersion randomPlacement(Random random, String key) {
        Map<String, List<PlacedReplica>> byRegion = new HashMap<>();
        for (String region : REGIONS) {
            int replicas = random.nextInt(4);
            List<PlacedReplica> list = new ArrayList<>();
            for (int i = 0; i < replicas; i++) {
                list.add(new PlacedReplica(i, STORES.get(random.nextInt(STORES.size())), null));
            }
            if (!list.isEmpty()) {
                byRegion.put(region, list);
            }
        }
        return new PlacedVersion(key, 1 + random.nextInt(1_000_000), byRegion);
    }

    private static void assertSameLoads(StoreLoads kept, StoreLoads summed, long seed, int step) {
        for (String region : REGIONS) {
            for (String store : STORES) {
                assertThat(kept.of(region, store))
                        .as("seed %d, step %d: %s/%s", seed, step, region, store)
                        .isEqualTo(summed.of(region, store));
            }
        }
    }
}
