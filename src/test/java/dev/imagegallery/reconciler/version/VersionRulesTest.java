package dev.imagegallery.reconciler.version;

import static dev.imagegallery.reconciler.version.Versions.observed;
import static dev.imagegallery.reconciler.version.Versions.region;
import static dev.imagegallery.reconciler.version.Versions.version;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.api.ImageVersionSpec;
import dev.imagegallery.status.Outcome;
import dev.imagegallery.status.Reason;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VersionRulesTest {
    private static final VersionRules RULES = new VersionRules(100, 2);
    private static final List<dev.imagegallery.api.Region> CATALOGUE =
            List.of(region("west", "s1"), region("east", "e1"));

    @Test
    void aValidVersionBreaksNoRule() {
        assertThat(RULES.firstBroken(observed(version("v", "2026-01-01T00:00:00Z", "west"), CATALOGUE)))
                .isEmpty();
    }

    @Test
    void aMissingDefinitionIsWaitedForNotStalled() {
        ObservedVersion observed = observed(version("v", "2026-01-01T00:00:00Z", "west"), CATALOGUE);
        ObservedVersion withoutDefinition = new ObservedVersion(
                observed.version(),
                Optional.empty(),
                observed.record(),
                observed.catalogue(),
                observed.sameNumber(),
                observed.sameNamespaceByTarget(),
                observed.retention(),
                observed.restoring());

        Outcome outcome = RULES.firstBroken(withoutDefinition).orElseThrow();

        assertThat(outcome.kind()).isEqualTo(Outcome.Kind.IN_PROGRESS);
        assertThat(outcome.reason()).isEqualTo(Reason.ImageDefinitionNotFound);
        assertThat(outcome.message())
                .isEqualTo("image definition ubuntu does not exist in namespace team;"
                        + " the version proceeds when it is created");
    }

    @Test
    void theLaterOfTwoVersionsWithOneNumberIsStalledNamingTheEarlier() {
        ImageVersion earlier = version("a", "2026-01-01T00:00:00Z", "west");
        ImageVersion later = version("b", "2026-01-02T00:00:00Z", "west");
        List<ImageVersion> both = List.of(earlier, later);

        assertThat(RULES.firstBroken(observed(earlier, CATALOGUE, both, both))).isEmpty();
        assertThat(RULES.firstBroken(observed(later, CATALOGUE, both, both)))
                .contains(Outcome.stalled(
                        Reason.VersionConflict,
                        "version 1.0.0 of image definition ubuntu already exists as ImageVersion a"));
    }

    @Test
    void droppingAReplicatedRegionIsRefusedOnlyWhenTheSafetyProfileSaysSo() {
        ImageVersion version = version("v", "2026-01-01T00:00:00Z", "west");
        version.setStatus(Versions.recording("e1", "west", "east"));

        assertThat(RULES.firstBroken(observed(version, CATALOGUE)))
                .as("deletion allowed by default")
                .isEmpty();
        version.getSpec().safetyProfile = new ImageVersionSpec.SafetyProfile();
        version.getSpec().safetyProfile.allowDeletionOfReplicatedLocations = false;
        assertThat(RULES.firstBroken(observed(version, CATALOGUE)).map(Outcome::reason))
                .contains(Reason.RegionRemovalBlocked);
    }

    @Test
    void everyIncompatibilityIsToldUnderTheFirstOnesReason() {
        ImageVersion version = version("v", "2026-01-01T00:00:00Z", "west", "nowhere", "elsewhere");

        Outcome outcome = RULES.firstBroken(observed(version, CATALOGUE)).orElseThrow();

        assertThat(outcome.reason()).isEqualTo(Reason.RegionNotFound);
        assertThat(outcome.message())
                .contains("target region nowhere does not exist")
                .contains("; target region elsewhere");
    }

    @Test
    void versionsBeyondTheNamespacesQuotaOfARegionAreStalledAndTheEarlierOnesNot() {
        List<ImageVersion> three = List.of(
                version("a", "2026-01-01T00:00:00Z", "west"),
                version("b", "2026-01-02T00:00:00Z", "west"),
                version("c", "2026-01-03T00:00:00Z", "west"));
        three.forEach(
                v -> v.getSpec().version = "1.0." + (v.getMetadata().getName().charAt(0) - 'a'));

        assertThat(RULES.firstBroken(observed(three.get(1), CATALOGUE, List.of(three.get(1)), three)))
                .isEmpty();
        assertThat(RULES.firstBroken(observed(three.get(2), CATALOGUE, List.of(three.get(2)), three)))
                .contains(Outcome.stalled(
                        Reason.QuotaExceeded,
                        "namespace team already has 2 image versions targeting region west,"
                                + " its quota (image-gallery.image-versions-per-namespace-per-region)"));
    }
}
