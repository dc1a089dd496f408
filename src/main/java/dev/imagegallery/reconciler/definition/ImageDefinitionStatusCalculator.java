package dev.imagegallery.reconciler.definition;

import dev.imagegallery.api.Condition;
import dev.imagegallery.api.ImageDefinitionStatus;
import dev.imagegallery.api.ImageDefinitionStatus.LatestInRegion;
import dev.imagegallery.status.Conditions;
import dev.imagegallery.status.EndOfLifeCondition;
import dev.imagegallery.status.Outcome;
import dev.imagegallery.status.Reason;
import dev.imagegallery.validation.LatestVersions;
import dev.imagegallery.validation.SemanticVersion;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** An ImageDefinition's status from its checks, its versions and its end of life. Pure. */
public final class ImageDefinitionStatusCalculator {
    private ImageDefinitionStatusCalculator() {}

    /**
     * What the reconciler found: the first problem, if any (outcome), the versions' latest, what to
     * consume of it in each region, their count.
     */
    public record Findings(
            Optional<Outcome> problem,
            LatestVersions.Result latest,
            List<LatestInRegion> latestInRegions,
            int versionCount,
            String endOfLifeDate) {}

    public static ImageDefinitionStatus calculate(
            ImageDefinitionStatus previous, long generation, Findings findings, Instant now) {
        ImageDefinitionStatus status = new ImageDefinitionStatus();
        status.observedGeneration = generation;
        status.imageVersionCount = findings.versionCount();
        status.latestVersion =
                findings.latest().overall().map(SemanticVersion::toString).orElse(null);
        status.latestVersionByRegion = findings.latest().byRegion().isEmpty()
                ? null
                : findings.latest().byRegion();
        status.latest = findings.latestInRegions().isEmpty() ? null : findings.latestInRegions();
        Outcome outcome = findings.problem()
                .orElseGet(() -> Outcome.ready(
                        Reason.Available,
                        status.latestVersion == null
                                ? findings.versionCount() + " versions; none is completed and included in latest yet"
                                : findings.versionCount() + " versions; latest is " + status.latestVersion));
        List<Condition> conditions =
                Conditions.apply(previous == null ? null : previous.conditions, generation, outcome, now);
        EndOfLifeCondition.apply(conditions, findings.endOfLifeDate(), generation, now);
        status.conditions = conditions;
        return status;
    }
}
