package dev.imagegallery.validation;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The latest version of a definition: the highest Major.Minor.Patch that is usable (replication
 * Completed) and not excluded from latest, overall and per region.
 */
public final class LatestVersions {
    /**
     * What latest needs to know of one version. {@code excludedInRegion} holds the per-region flag
     * where one is set; otherwise the common flag applies in that region too.
     */
    public record Candidate(
            SemanticVersion version,
            boolean excluded,
            Map<String, Boolean> excludedInRegion,
            Map<String, Boolean> completedInRegion) {
        boolean completedEverywhere() {
            return !completedInRegion.isEmpty()
                    && completedInRegion.values().stream().allMatch(Boolean::booleanValue);
        }

        /** Whether the version may be latest in {@code region}: Completed there and not excluded there. */
        public boolean latestCandidateIn(String region) {
            return completedInRegion.getOrDefault(region, false) && !excludedInRegion.getOrDefault(region, excluded);
        }
    }

    /** Overall latest and latest per region (regions without a candidate are absent). */
    public record Result(Optional<SemanticVersion> overall, Map<String, String> byRegion) {}

    private LatestVersions() {}

    public static Result of(List<Candidate> candidates) {
        Optional<SemanticVersion> overall = candidates.stream()
                .filter(c -> !c.excluded() && c.completedEverywhere())
                .map(Candidate::version)
                .max(Comparator.naturalOrder());
        Map<String, String> byRegion = new TreeMap<>();
        candidates.stream()
                .flatMap(c -> c.completedInRegion().keySet().stream())
                .distinct()
                .forEach(region -> candidates.stream()
                        .filter(c -> c.latestCandidateIn(region))
                        .map(Candidate::version)
                        .max(Comparator.naturalOrder())
                        .ifPresent(v -> byRegion.put(region, v.toString())));
        return new Result(overall, byRegion);
    }
}
