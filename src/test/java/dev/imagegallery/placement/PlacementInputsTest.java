package dev.imagegallery.placement;

import static dev.imagegallery.placement.Fixtures.ask;
import static dev.imagegallery.placement.Fixtures.store;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Inputs the API can never produce are refused up front rather than placed oddly. */
class PlacementInputsTest {
    @Test
    void replicaCountsOutsideOneToAHundredAreRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> ask("west", 0)).withMessageContaining("1..100, was 0");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ask("west", 101))
                .withMessageContaining("1..100, was 101");
    }

    @Test
    void aRegionTargetedTwiceIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new PlacementRequest("ns/v", 1, List.of(ask("west", 1), ask("west", 2))))
                .withMessageContaining("region west is targeted twice");
    }

    @Test
    void aStoreOutsideTheRegionsZonesIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new CatalogueRegion("west", List.of("a"), List.of(store("s1", "b"))))
                .withMessageContaining("store s1 names zone b");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new CatalogueRegion("flat", List.of(), List.of(store("s1", "a"))))
                .withMessageContaining("store s1 names zone a");
    }

    @Test
    void aStoreWithoutPositiveCapacityIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> store("s1", null, 0L))
                .withMessageContaining("capacity must be positive");
    }
}
