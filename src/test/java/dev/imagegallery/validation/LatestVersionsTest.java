package dev.imagegallery.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegallery.validation.LatestVersions.Candidate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LatestVersionsTest {
    private static Candidate candidate(
            String version, boolean excluded, Map<String, Boolean> excludedIn, Map<String, Boolean> completed) {
        return new Candidate(SemanticVersion.parse(version), excluded, excludedIn, completed);
    }

    @Test
    void highestCompletedVersionThatIsNotExcludedIsLatest() {
        var result = LatestVersions.of(List.of(
                candidate("1.0.0", false, Map.of(), Map.of("west", true)),
                candidate("1.10.0", false, Map.of(), Map.of("west", true)),
                candidate("1.2.0", false, Map.of(), Map.of("west", true)),
                candidate("2.0.0", true, Map.of(), Map.of("west", true))));

        assertThat(result.overall()).map(Object::toString).contains("1.10.0");
        assertThat(result.byRegion()).containsExactlyEntriesOf(Map.of("west", "1.10.0"));
    }

    @Test
    void aVersionNotCompletedEverywhereIsNotLatestOverallButIsWhereItIsCompleted() {
        var result = LatestVersions.of(List.of(
                candidate("1.0.0", false, Map.of(), Map.of("west", true, "east", true)),
                candidate("2.0.0", false, Map.of(), Map.of("west", true, "east", false))));

        assertThat(result.overall()).map(Object::toString).contains("1.0.0");
        assertThat(result.byRegion()).containsEntry("west", "2.0.0").containsEntry("east", "1.0.0");
    }

    @Test
    void theRegionalFlagOverridesTheCommonOneInItsRegion() {
        var result = LatestVersions.of(List.of(
                candidate("1.0.0", false, Map.of(), Map.of("west", true, "east", true)),
                candidate("2.0.0", false, Map.of("east", true), Map.of("west", true, "east", true)),
                candidate("3.0.0", true, Map.of("west", false), Map.of("west", true, "east", true))));

        assertThat(result.overall()).map(Object::toString).contains("2.0.0");
        assertThat(result.byRegion()).containsEntry("west", "3.0.0").containsEntry("east", "1.0.0");
    }

    @Test
    void promotingAVersionMovesLatestAtOnce() {
        var excluded = candidate("2.0.0", true, Map.of(), Map.of("west", true));
        var promoted = candidate("2.0.0", false, Map.of(), Map.of("west", true));
        var older = candidate("1.0.0", false, Map.of(), Map.of("west", true));

        assertThat(LatestVersions.of(List.of(older, excluded)).overall())
                .map(Object::toString)
                .contains("1.0.0");
        assertThat(LatestVersions.of(List.of(older, promoted)).overall())
                .map(Object::toString)
                .contains("2.0.0");
    }

    @Test
    void noCompletedVersionMeansNoLatest() {
        var result = LatestVersions.of(List.of(candidate("1.0.0", false, Map.of(), Map.of("west", false))));
        assertThat(result.overall()).isEmpty();
        assertThat(result.byRegion()).isEmpty();
    }
}
