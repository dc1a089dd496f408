package dev.imagegallery.placement;

import static dev.imagegallery.placement.Fixtures.GIB;
import static dev.imagegallery.placement.Fixtures.ask;
import static dev.imagegallery.placement.Fixtures.catalogue;
import static dev.imagegallery.placement.Fixtures.perStore;
import static dev.imagegallery.placement.Fixtures.perZone;
import static dev.imagegallery.placement.Fixtures.placeFresh;
import static dev.imagegallery.placement.Fixtures.placed;
import static dev.imagegallery.placement.Fixtures.region;
import static dev.imagegallery.placement.Fixtures.regularRegion;
import static dev.imagegallery.placement.Fixtures.store;
import static dev.imagegallery.placement.Fixtures.version;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Replicas spread over zones first, then over the least-loaded stores of a zone. */
class SpreadTest {
    @Test
    void replicasGoToDifferentZonesBeforeSharingOne() {
        PlacementResult result =
                placeFresh(version("ns/v", GIB, ask("west", 3)), catalogue(regularRegion("west", 3, 4)));

        assertThat(perZone(placed(result, "west")))
                .containsOnly(Map.entry("z1", 1L), Map.entry("z2", 1L), Map.entry("z3", 1L));
    }

    @Test
    void zonesDifferByAtMostOneReplica() {
        PlacementResult result =
                placeFresh(version("ns/v", GIB, ask("west", 7)), catalogue(regularRegion("west", 3, 4)));

        assertThat(perZone(placed(result, "west")).values()).containsExactlyInAnyOrder(3L, 2L, 2L);
    }

    @Test
    void zoneBalanceComesBeforeOneReplicaPerStore() {
        // Zone a has one store, zone b three: a 1/3 split would leave one replica if zone b goes down.
        Catalogue catalogue = catalogue(region(
                "west", List.of("a", "b"), store("a1", "a"), store("b1", "b"), store("b2", "b"), store("b3", "b")));

        List<PlacedReplica> replicas = placed(placeFresh(version("ns/v", GIB, ask("west", 4)), catalogue), "west");

        assertThat(perZone(replicas)).containsOnly(Map.entry("a", 2L), Map.entry("b", 2L));
        assertThat(perStore(replicas)).containsEntry("a1", 2L);
    }

    @Test
    void aZoneWithoutRoomLeavesItsShareToTheOthers() {
        Catalogue catalogue = catalogue(
                region("west", List.of("a", "b"), store("a1", "a", 1 * GIB), store("b1", "b"), store("b2", "b")));

        List<PlacedReplica> replicas = placed(placeFresh(version("ns/v", GIB, ask("west", 4)), catalogue), "west");

        assertThat(perZone(replicas)).containsOnly(Map.entry("a", 1L), Map.entry("b", 3L));
    }

    @Test
    void aStoreHoldsASecondReplicaOnlyWhenTheRegionHasFewerStoresThanReplicas() {
        Catalogue catalogue = catalogue(regularRegion("flat", 0, 3));

        assertThat(perStore(placed(placeFresh(version("ns/v", GIB, ask("flat", 3)), catalogue), "flat"))
                        .values())
                .containsOnly(1L);
        assertThat(perStore(placed(placeFresh(version("ns/v", GIB, ask("flat", 5)), catalogue), "flat"))
                        .values())
                .containsExactlyInAnyOrder(2L, 2L, 1L);
    }

    @Test
    void withinAZoneTheStoreWithTheLowestShareOfItsCapacityUsedIsPreferred() {
        StoreLoads loads = StoreLoads.builder()
                .add("west", "small", 50 * GIB, 5)
                .add("west", "large", 100 * GIB, 10)
                .build();

        assertThat(storeChosenAmong(loads, store("small", "a", 100 * GIB), store("large", "a", 1000 * GIB)))
                .isEqualTo("large");
    }

    @Test
    void anUnlimitedStoreCountsAsEmptyByBytes() {
        StoreLoads loads = StoreLoads.builder()
                .add("west", "limited", GIB, 1)
                .add("west", "unlimited", 5000 * GIB, 50)
                .build();

        assertThat(storeChosenAmong(loads, store("limited", "a", 1000 * GIB), store("unlimited", "a")))
                .isEqualTo("unlimited");
    }

    @Test
    void amongStoresEquallyFullTheOneWithFewerReplicasIsPreferred() {
        StoreLoads loads = StoreLoads.builder()
                .add("west", "busy", 0, 7)
                .add("west", "quiet", 0, 2)
                .build();

        assertThat(storeChosenAmong(loads, store("busy", "a"), store("quiet", "a")))
                .isEqualTo("quiet");
    }

    @Test
    void equalStoresAreChosenByAHashOfTheVersionKeySoVersionsSpread() {
        Catalogue catalogue = catalogue(regularRegion("west", 3, 4));
        Set<String> chosen = new HashSet<>();
        for (int v = 0; v < 50; v++) {
            PlacementRequest request = version("ns/v" + v, GIB, ask("west", 1));
            List<PlacedReplica> first = placed(placeFresh(request, catalogue), "west");
            assertThat(placed(placeFresh(request, catalogue), "west"))
                    .as("same key, same store")
                    .isEqualTo(first);
            chosen.add(first.get(0).store());
        }
        assertThat(chosen).as("stores chosen by 50 single-replica versions").hasSizeGreaterThanOrEqualTo(10);
    }

    /** The store one replica goes to in region "west", whose only zone "a" holds the given stores. */
    private static String storeChosenAmong(StoreLoads loads, CatalogueStore... stores) {
        Catalogue catalogue = catalogue(region("west", List.of("a"), stores));
        PlacementResult result =
                PlacementEngine.place(version("ns/v", GIB, ask("west", 1)), catalogue, Map.of(), loads);
        return placed(result, "west").get(0).store();
    }
}
