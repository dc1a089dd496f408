package dev.imagegallery.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegallery.validation.StoreEndpoints.Claim;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoreEndpointsTest {
    private static final Instant EARLY = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant LATE = Instant.parse("2026-02-01T00:00:00Z");

    @Test
    void theSamePlaceOrAPlaceInsideAnotherIsRefusedToTheLaterRegion() {
        Claim first = new Claim("westeurope", "s1", "file:///stores/west", EARLY);
        Claim same = new Claim("northeurope", "s1", "file:///stores/west/", LATE);
        Claim inside = new Claim("eastus", "s1", "file:///stores/west/team-a", LATE);
        Claim sibling = new Claim("eastus", "s2", "file:///stores/west-2", LATE);
        Claim web = new Claim("westus", "s1", "HTTP://Store.Example:8080/images", EARLY);
        Claim webInside = new Claim("westus2", "s1", "http://store.example:8080/images/west", LATE);

        var refused = StoreEndpoints.conflicts(List.of(inside, same, sibling, first, web, webInside));

        assertThat(refused).containsOnlyKeys(same, inside, webInside);
        assertThat(refused.get(same)).isEqualTo(first);
        assertThat(refused.get(webInside)).isEqualTo(web);
    }

    @Test
    void regionsCreatedTogetherAreOrderedByName() {
        Claim a = new Claim("a", "s", "file:///stores/x", EARLY);
        Claim b = new Claim("b", "s", "file:///stores/x", EARLY);
        assertThat(StoreEndpoints.conflicts(List.of(b, a))).containsOnlyKeys(b);
    }
}
