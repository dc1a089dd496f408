package dev.imagegallery.placement;

import static dev.imagegallery.placement.Fixtures.ask;
import static dev.imagegallery.placement.Fixtures.catalogue;
import static dev.imagegallery.placement.Fixtures.failed;
import static dev.imagegallery.placement.Fixtures.placeFresh;
import static dev.imagegallery.placement.Fixtures.placed;
import static dev.imagegallery.placement.Fixtures.region;
import static dev.imagegallery.placement.Fixtures.regularRegion;
import static dev.imagegallery.placement.Fixtures.store;
import static dev.imagegallery.placement.Fixtures.version;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegallery.placement.RegionPlacement.Cause;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Only stores offering the requested type hold replicas; regions that cannot offer it fail with the reason. */
class EligibleStoresTest {
    private static final StorageType LRS = StorageType.Standard_LRS;
    private static final StorageType ZRS = StorageType.Standard_ZRS;
    private static final StorageType PREMIUM = StorageType.Premium_LRS;

    @Test
    void onlyStoresOfferingTheTypeHoldReplicas() {
        Catalogue catalogue = catalogue(region(
                "west",
                List.of(),
                store("hdd-1", null, null, LRS),
                store("ssd-1", null, null, PREMIUM),
                store("hdd-2", null, null, LRS),
                store("ssd-2", null, null, PREMIUM, LRS)));

        PlacementResult result = placeFresh(version("ns/v", 1, ask("west", 4, PREMIUM)), catalogue);

        assertThat(placed(result, "west")).extracting(PlacedReplica::store).containsOnly("ssd-1", "ssd-2");
    }

    @Test
    void zoneRedundantReplicasGoToRegionsWithZones() {
        Catalogue catalogue = catalogue(regularRegion("north", 3, 1));

        PlacementResult result = placeFresh(version("ns/v", 1, ask("north", 3, ZRS)), catalogue);

        assertThat(placed(result, "north")).extracting(PlacedReplica::zone).containsExactlyInAnyOrder("z1", "z2", "z3");
    }

    @Test
    void zoneRedundantReplicasInARegionWithoutZonesFailWithTheReason() {
        Catalogue catalogue = catalogue(regularRegion("flat", 0, 2));

        RegionPlacement.Failed failure = failed(placeFresh(version("ns/v", 1, ask("flat", 3, ZRS)), catalogue), "flat");

        assertThat(failure.cause()).isEqualTo(Cause.ZONE_REDUNDANCY_WITHOUT_ZONES);
        assertThat(failure.reason())
                .isEqualTo("region 'flat' has no zones, so it cannot hold 3 Standard_ZRS replicas: "
                        + "ask for Standard_LRS or Premium_LRS there, or target a region with zones");
        assertThat(failure.replicas()).isEmpty();
    }

    @Test
    void aRegionWithoutAStoreOfTheTypeFailsNamingWhatItOffers() {
        Catalogue catalogue =
                catalogue(region("west", List.of("a"), store("s1", "a", null, LRS, ZRS), store("s2", "a", null, LRS)));

        RegionPlacement.Failed failure =
                failed(placeFresh(version("ns/v", 1, ask("west", 2, PREMIUM)), catalogue), "west");

        assertThat(failure.cause()).isEqualTo(Cause.NO_STORE_OFFERS_TYPE);
        assertThat(failure.reason())
                .isEqualTo("none of the 2 stores of region 'west' offers Premium_LRS, "
                        + "so its 2 Premium_LRS replicas cannot be placed; they offer Standard_LRS, Standard_ZRS");
    }

    @Test
    void anUnknownRegionFailsAndTheOthersAreStillPlaced() {
        Catalogue catalogue = catalogue(regularRegion("west", 3, 2));

        PlacementResult result = placeFresh(version("ns/v", 1, ask("nowhere", 1), ask("west", 2)), catalogue);

        RegionPlacement.Failed failure = failed(result, "nowhere");
        assertThat(failure.cause()).isEqualTo(Cause.UNKNOWN_REGION);
        assertThat(failure.reason())
                .isEqualTo("region 'nowhere' is not in the catalogue, so its 1 Standard_LRS replica "
                        + "cannot be placed: create a Region named 'nowhere' or remove it from the target regions");
        assertThat(placed(result, "west")).hasSize(2);
        assertThat(result.regions()).extracting(RegionPlacement::region).containsExactly("nowhere", "west");
    }
}
