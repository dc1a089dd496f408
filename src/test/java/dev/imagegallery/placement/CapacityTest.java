package dev.imagegallery.placement;

import static dev.imagegallery.placement.Fixtures.GIB;
import static dev.imagegallery.placement.Fixtures.ask;
import static dev.imagegallery.placement.Fixtures.catalogue;
import static dev.imagegallery.placement.Fixtures.failed;
import static dev.imagegallery.placement.Fixtures.perStore;
import static dev.imagegallery.placement.Fixtures.placed;
import static dev.imagegallery.placement.Fixtures.region;
import static dev.imagegallery.placement.Fixtures.regularRegion;
import static dev.imagegallery.placement.Fixtures.store;
import static dev.imagegallery.placement.Fixtures.version;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegallery.placement.RegionPlacement.Cause;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Bytes of other versions plus this version's replicas never exceed a store's capacity. */
class CapacityTest {
    private static final Catalogue TWO_SMALL_STORES =
            catalogue(region("west", List.of(), store("s1", null, 25 * GIB), store("s2", null, 10 * GIB)));

    @Test
    void aStoreTakesReplicasUpToExactlyItsCapacity() {
        StoreLoads loads = StoreLoads.builder().add("west", "s1", 5 * GIB, 1).build();

        PlacementResult result =
                PlacementEngine.place(version("ns/v", 10 * GIB, ask("west", 3)), TWO_SMALL_STORES, Map.of(), loads);

        assertThat(perStore(placed(result, "west"))).containsOnly(Map.entry("s1", 2L), Map.entry("s2", 1L));
    }

    @Test
    void aRegionWithoutRoomFailsWithTheNumbers() {
        StoreLoads loads = StoreLoads.builder().add("west", "s1", 5 * GIB, 1).build();

        PlacementResult result =
                PlacementEngine.place(version("ns/v", 10 * GIB, ask("west", 4)), TWO_SMALL_STORES, Map.of(), loads);

        RegionPlacement.Failed failure = failed(result, "west");
        assertThat(failure.cause()).isEqualTo(Cause.NOT_ENOUGH_CAPACITY);
        assertThat(failure.reason())
                .isEqualTo(
                        "region 'west' has room for only 3 of the 4 Standard_LRS replicas asked for, "
                                + "10.0 GiB (10737418240 bytes) each: after those 3, its 2 Standard_LRS stores have 0 bytes left, at most 0 bytes on any one");
    }

    @Test
    void aRegistryStoreHoldsOneReplicaOfAVersionAndTheRestGoElsewhereOrFailSayingWhy() {
        Catalogue registryAndBucket = catalogue(region(
                "west",
                List.of(),
                new CatalogueStore("registry", null, null, Set.of(StorageType.Standard_LRS), 1),
                store("bucket", null, null)));
        Catalogue registryOnly = catalogue(region(
                "west", List.of(), new CatalogueStore("registry", null, null, Set.of(StorageType.Standard_LRS), 1)));

        PlacementResult spread = PlacementEngine.place(
                version("ns/v", GIB, ask("west", 3)), registryAndBucket, Map.of(), StoreLoads.NONE);
        PlacementResult tooMany =
                PlacementEngine.place(version("ns/v", GIB, ask("west", 2)), registryOnly, Map.of(), StoreLoads.NONE);

        assertThat(perStore(placed(spread, "west"))).containsOnly(Map.entry("registry", 1L), Map.entry("bucket", 2L));
        assertThat(failed(tooMany, "west").cause()).isEqualTo(Cause.NOT_ENOUGH_CAPACITY);
        assertThat(failed(tooMany, "west").reason())
                .startsWith("region 'west' has room for only 1 of the 2 Standard_LRS replicas asked for")
                .endsWith("; 1 of those stores already hold the one replica of this version a registry store can hold");
    }

    @Test
    void aFailedRegionKeepsItsValidReplicasAndAddsNone() {
        List<PlacedReplica> current = List.of(new PlacedReplica(0, "s2", null));

        PlacementResult result = PlacementEngine.place(
                version("ns/v", 10 * GIB, ask("west", 5)), TWO_SMALL_STORES, Map.of("west", current), StoreLoads.NONE);

        assertThat(failed(result, "west").replicas()).isEqualTo(current);
    }

    @Test
    void aFullRegionDoesNotStopTheOthers() {
        Catalogue catalogue = catalogue(region("tiny", List.of(), store("s1", null, GIB)), regularRegion("west", 3, 1));

        PlacementResult result = PlacementEngine.place(
                version("ns/v", 2 * GIB, ask("tiny", 1), ask("west", 3)), catalogue, Map.of(), StoreLoads.NONE);

        assertThat(failed(result, "tiny").reason())
                .contains("room for only 0 of the 1", "2.0 GiB", "1.0 GiB (1073741824 bytes) left");
        assertThat(placed(result, "west")).hasSize(3);
    }

    @Test
    void aStoreOverfilledByOtherVersionsTakesNothing() {
        Catalogue catalogue = catalogue(region("west", List.of(), store("over", null, GIB), store("free", null)));
        StoreLoads loads = StoreLoads.builder().add("west", "over", 3 * GIB, 3).build();

        PlacementResult result = PlacementEngine.place(version("ns/v", 0, ask("west", 2)), catalogue, Map.of(), loads);

        assertThat(placed(result, "west")).extracting(PlacedReplica::store).containsOnly("free");
    }
}
