package dev.imagegallery.placement;

import static dev.imagegallery.placement.Fixtures.GIB;
import static dev.imagegallery.placement.Fixtures.ask;
import static dev.imagegallery.placement.Fixtures.catalogue;
import static dev.imagegallery.placement.Fixtures.perZone;
import static dev.imagegallery.placement.Fixtures.placeFresh;
import static dev.imagegallery.placement.Fixtures.placed;
import static dev.imagegallery.placement.Fixtures.region;
import static dev.imagegallery.placement.Fixtures.regularRegion;
import static dev.imagegallery.placement.Fixtures.store;
import static dev.imagegallery.placement.Fixtures.version;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Valid replicas stay where they are; counts change by adding and removing replicas, region by region. */
class StabilityTest {
    private static final Catalogue WEST = catalogue(regularRegion("west", 3, 2));

    @Test
    void aValidReplicaStaysEvenWhereANewOneWouldNotGo() {
        StoreLoads loads = StoreLoads.builder().add("west", "z1-s1", 0, 90).build();
        List<PlacedReplica> current = List.of(new PlacedReplica(0, "z1-s1", "z1"));

        PlacementResult result =
                PlacementEngine.place(version("ns/v", GIB, ask("west", 1)), WEST, Map.of("west", current), loads);

        assertThat(placed(result, "west")).isEqualTo(current);
    }

    @Test
    void raisingTheCountKeepsTheReplicasAndAddsNewIndexes() {
        List<PlacedReplica> two = placed(placeFresh(version("ns/v", GIB, ask("west", 2)), WEST), "west");

        List<PlacedReplica> five = placeAgain(ask("west", 5), two);

        assertThat(five).hasSize(5).containsAll(two);
        assertThat(five).extracting(PlacedReplica::index).containsExactly(0, 1, 2, 3, 4);
        assertThat(perZone(five).values()).containsExactlyInAnyOrder(2L, 2L, 1L);
    }

    @Test
    void newReplicasTakeTheLowestFreeIndexes() {
        List<PlacedReplica> current = List.of(new PlacedReplica(1, "z1-s1", "z1"), new PlacedReplica(4, "z2-s1", "z2"));

        assertThat(placeAgain(ask("west", 4), current))
                .extracting(PlacedReplica::index)
                .containsExactly(0, 1, 2, 4);
    }

    @Test
    void loweringTheCountRemovesFromTheMostCrowdedZoneFirst() {
        List<PlacedReplica> current = List.of(
                new PlacedReplica(0, "z1-s1", "z1"),
                new PlacedReplica(1, "z2-s1", "z2"),
                new PlacedReplica(2, "z3-s1", "z3"),
                new PlacedReplica(3, "z1-s2", "z1"),
                new PlacedReplica(4, "z2-s2", "z2"));

        List<PlacedReplica> four = placeAgain(ask("west", 4), current);

        // z1 and z2 hold two each: of their replicas, the highest index goes.
        assertThat(four).isEqualTo(current.subList(0, 4));
    }

    @Test
    void loweringTheCountRemovesFromTheMostCrowdedStoreWithinAZone() {
        Catalogue catalogue = catalogue(region("west", List.of(), store("s1", null), store("s2", null)));
        List<PlacedReplica> current = List.of(
                new PlacedReplica(0, "s1", null), new PlacedReplica(1, "s2", null), new PlacedReplica(2, "s1", null));
        List<PlacedReplica> withHighIndexOnS2 = List.of(
                new PlacedReplica(0, "s1", null), new PlacedReplica(1, "s1", null), new PlacedReplica(2, "s2", null));

        assertThat(place(catalogue, ask("west", 2), current)).containsExactly(current.get(0), current.get(1));
        assertThat(place(catalogue, ask("west", 2), withHighIndexOnS2))
                .containsExactly(withHighIndexOnS2.get(0), withHighIndexOnS2.get(2));
    }

    @Test
    void aReplicaMovesWhenItsStoreIsGoneOrNoLongerOffersTheType() {
        List<PlacedReplica> current = List.of(
                new PlacedReplica(0, "z1-s1", "z1"),
                new PlacedReplica(1, "z2-s1", "z2"),
                new PlacedReplica(2, "z3-s1", "z3"));
        Catalogue withoutZ1S1 = catalogue(region(
                "west",
                List.of("z1", "z2", "z3"),
                store("z1-s2", "z1"),
                store("z2-s1", "z2"),
                store("z3-s1", "z3", null, StorageType.Premium_LRS),
                store("z3-s2", "z3")));

        List<PlacedReplica> moved = place(withoutZ1S1, ask("west", 3), current);

        assertThat(moved)
                .containsExactly(
                        new PlacedReplica(0, "z1-s2", "z1"), current.get(1), new PlacedReplica(2, "z3-s2", "z3"));
    }

    @Test
    void whenAStoreShrinksTheReplicasWithTheHighestIndexesMove() {
        Catalogue shrunk = catalogue(region("west", List.of(), store("s1", null, 2 * GIB), store("s2", null)));
        List<PlacedReplica> current = List.of(
                new PlacedReplica(0, "s1", null), new PlacedReplica(1, "s1", null), new PlacedReplica(2, "s1", null));

        assertThat(place(shrunk, ask("west", 3), current))
                .containsExactly(current.get(0), current.get(1), new PlacedReplica(2, "s2", null));
    }

    @Test
    void aDuplicateIndexKeepsItsFirstStoreByName() {
        List<PlacedReplica> current = List.of(new PlacedReplica(0, "z2-s1", "z2"), new PlacedReplica(0, "z1-s1", "z1"));

        assertThat(placeAgain(ask("west", 1), current)).containsExactly(new PlacedReplica(0, "z1-s1", "z1"));
    }

    @Test
    void changingOneRegionNeverMovesAnother() {
        Catalogue catalogue = catalogue(regularRegion("west", 3, 2), regularRegion("east", 3, 2));
        PlacementResult before = placeFresh(version("ns/v", GIB, ask("west", 3), ask("east", 3)), catalogue);
        StoreLoads eastFilledUp = StoreLoads.builder()
                .add("east", "z1-s1", 0, 1000)
                .add("east", "z2-s2", 0, 1000)
                .build();

        PlacementResult after = PlacementEngine.place(
                version("ns/v", GIB, ask("west", 3), ask("east", 1)),
                catalogue,
                before.replicasByRegion(),
                eastFilledUp);

        assertThat(after.region("west")).isEqualTo(before.region("west"));
    }

    @Test
    void theSameInputsGiveTheSameResultWhateverTheirOrder() {
        CatalogueRegion west = regularRegion("west", 3, 4);
        List<CatalogueStore> reversedStores = new ArrayList<>(west.stores());
        Collections.reverse(reversedStores);
        Catalogue reordered = catalogue(new CatalogueRegion("west", west.zones(), reversedStores));
        List<PlacedReplica> current = List.of(new PlacedReplica(3, "z1-s1", "z1"), new PlacedReplica(1, "z2-s4", "z2"));
        List<PlacedReplica> reversedCurrent = List.of(current.get(1), current.get(0));
        PlacementRequest request = version("ns/v", GIB, ask("west", 7));

        PlacementResult result =
                PlacementEngine.place(request, catalogue(west), Map.of("west", current), StoreLoads.NONE);

        assertThat(PlacementEngine.place(request, catalogue(west), Map.of("west", current), StoreLoads.NONE))
                .isEqualTo(result);
        assertThat(PlacementEngine.place(request, reordered, Map.of("west", reversedCurrent), StoreLoads.NONE))
                .isEqualTo(result);
    }

    @Test
    void regionsNoLongerTargetedAreLeftOutOfTheResult() {
        Catalogue catalogue = catalogue(regularRegion("west", 3, 2), regularRegion("east", 3, 2));
        Map<String, List<PlacedReplica>> current = placeFresh(
                        version("ns/v", GIB, ask("west", 1), ask("east", 1)), catalogue)
                .replicasByRegion();

        PlacementResult result =
                PlacementEngine.place(version("ns/v", GIB, ask("west", 1)), catalogue, current, StoreLoads.NONE);

        assertThat(result.replicasByRegion()).containsOnlyKeys("west").containsEntry("west", current.get("west"));
    }

    private static List<PlacedReplica> placeAgain(RegionRequest request, List<PlacedReplica> current) {
        return place(WEST, request, current);
    }

    private static List<PlacedReplica> place(Catalogue catalogue, RegionRequest request, List<PlacedReplica> current) {
        PlacementResult result = PlacementEngine.place(
                version("ns/v", GIB, request), catalogue, Map.of(request.region(), current), StoreLoads.NONE);
        return placed(result, request.region());
    }
}
