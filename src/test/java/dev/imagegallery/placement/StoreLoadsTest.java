package dev.imagegallery.placement;

import static dev.imagegallery.placement.Fixtures.GIB;
import static dev.imagegallery.placement.Fixtures.region;
import static dev.imagegallery.placement.Fixtures.store;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Store usage is summed from every version's placement. */
class StoreLoadsTest {
    private static final List<PlacedVersion> VERSIONS = List.of(
            new PlacedVersion(
                    "ns/a",
                    2 * GIB,
                    Map.of(
                            "west", List.of(new PlacedReplica(0, "s1", "z1"), new PlacedReplica(1, "s2", "z2")),
                            "east", List.of(new PlacedReplica(0, "s1", null)))),
            new PlacedVersion(
                    "ns/b",
                    3 * GIB,
                    Map.of("west", List.of(new PlacedReplica(0, "s1", "z1"), new PlacedReplica(1, "s1", "z1")))));

    @Test
    void aggregateSumsReplicasAndBytesPerRegionAndStore() {
        StoreLoads loads = StoreLoads.aggregate(VERSIONS);

        assertThat(loads.of("west", "s1")).isEqualTo(new StoreLoad(8 * GIB, 3));
        assertThat(loads.of("west", "s2")).isEqualTo(new StoreLoad(2 * GIB, 1));
        assertThat(loads.of("east", "s1")).isEqualTo(new StoreLoad(2 * GIB, 1));
        assertThat(loads.of("east", "s2")).isEqualTo(StoreLoad.NONE);
        assertThat(loads.of("north", "s1")).isEqualTo(StoreLoad.NONE);
    }

    @Test
    void usageListsEveryStoreOfTheRegionInCatalogueOrder() {
        CatalogueRegion west = region(
                "west",
                List.of("z1", "z2"),
                store("s2", "z2", 100 * GIB),
                store("s1", "z1"),
                store("s3", "z2", 50 * GIB));

        assertThat(StoreLoads.aggregate(VERSIONS).usageOf(west))
                .containsExactly(
                        new StoreUsage("s2", "z2", 1, 2 * GIB, 100 * GIB),
                        new StoreUsage("s1", "z1", 3, 8 * GIB, null),
                        new StoreUsage("s3", "z2", 0, 0, 50 * GIB));
    }
}
