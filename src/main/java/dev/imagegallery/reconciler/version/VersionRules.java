package dev.imagegallery.reconciler.version;

import dev.imagegallery.api.ImageVersionSpec.TargetRegion;
import dev.imagegallery.reconciler.Keys;
import dev.imagegallery.status.Outcome;
import dev.imagegallery.status.Reason;
import dev.imagegallery.validation.FirstClaim;
import dev.imagegallery.validation.VersionCompatibility;
import dev.imagegallery.validation.Violation;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The rules a version must meet before it is placed, checked in the order a user would fix them:
 * its definition exists, its number is its own, no replicated region is dropped against its safety
 * profile, it fits the Region catalogue, and its namespace's version quota has room. Pure.
 *
 * @param maxReplicasPerRegion image-gallery.max-replicas-per-region
 * @param versionsPerNamespacePerRegion image-gallery.image-versions-per-namespace-per-region
 */
record VersionRules(int maxReplicasPerRegion, int versionsPerNamespacePerRegion) {

    /** The first rule the version breaks: a missing definition is waited for, the others stall it. */
    Optional<Outcome> firstBroken(ObservedVersion observed) {
        if (observed.key().isEmpty()) {
            return Optional.of(Outcome.inProgress(
                    Reason.ImageDefinitionNotFound,
                    "image definition "
                            + observed.spec().imageDefinitionName + " does not exist in namespace "
                            + observed.namespace()
                            + "; the version proceeds when it is created"));
        }
        return versionConflict(observed)
                .or(() -> removalOfReplicatedRegion(observed))
                .or(() -> incompatibility(observed))
                .or(() -> overQuota(observed))
                .map(Outcome::stalled);
    }

    private static Optional<Violation> versionConflict(ObservedVersion observed) {
        return FirstClaim.heldBefore(Keys.claimant(observed.version()), observed.sameNumber())
                .map(holder -> new Violation(
                        Reason.VersionConflict,
                        "version " + observed.spec().version + " of image definition "
                                + observed.spec().imageDefinitionName + " already exists as ImageVersion "
                                + holder.name()));
    }

    /** A region dropped from the targets still holds replicas, and the safety profile says they must stay. */
    private static Optional<Violation> removalOfReplicatedRegion(ObservedVersion observed) {
        var safety = observed.spec().safetyProfile;
        if (safety == null || !Boolean.FALSE.equals(safety.allowDeletionOfReplicatedLocations)) {
            return Optional.empty();
        }
        Set<String> targets = observed.spec().publishingProfile.targetRegions.stream()
                .map(t -> t.name)
                .collect(Collectors.toSet());
        List<String> removed = observed.record().placed().keySet().stream()
                .filter(r -> !targets.contains(r))
                .sorted()
                .toList();
        return removed.isEmpty()
                ? Optional.empty()
                : Optional.of(new Violation(
                        Reason.RegionRemovalBlocked,
                        "target region " + String.join(", ", removed) + " holds replicas and"
                                + " spec.safetyProfile.allowDeletionOfReplicatedLocations is false:"
                                + " add the region back, or set the flag to true to delete its replicas"));
    }

    private Optional<Violation> incompatibility(ObservedVersion observed) {
        List<Violation> violations = VersionCompatibility.check(
                observed.spec(),
                observed.namespace(),
                observed.catalogue().specs(),
                maxReplicasPerRegion,
                Instant.parse(observed.version().getMetadata().getCreationTimestamp()));
        return violations.isEmpty()
                ? Optional.empty()
                : Optional.of(new Violation(
                        violations.get(0).reason(),
                        violations.stream().map(Violation::message).collect(Collectors.joining("; "))));
    }

    private Optional<Violation> overQuota(ObservedVersion observed) {
        for (TargetRegion target : observed.spec().publishingProfile.targetRegions) {
            var versions = observed.sameNamespaceByTarget().getOrDefault(target.name, List.of());
            if (versions.size() < versionsPerNamespacePerRegion) {
                continue; // all of them fit, whichever came first
            }
            var sameRegion = versions.stream().map(Keys::claimant).toList();
            if (FirstClaim.beyondLimit(Keys.claimant(observed.version()), sameRegion, versionsPerNamespacePerRegion)) {
                return Optional.of(new Violation(
                        Reason.QuotaExceeded,
                        "namespace " + observed.namespace() + " already has "
                                + versionsPerNamespacePerRegion + " image versions targeting region " + target.name
                                + ", its quota (image-gallery.image-versions-per-namespace-per-region)"));
            }
        }
        return Optional.empty();
    }
}
