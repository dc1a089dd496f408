package dev.imagegallery.reconciler.version;

import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.api.ImageVersionSpec.TargetRegion;
import dev.imagegallery.reconciler.Keys;
import dev.imagegallery.status.Outcome;
import dev.imagegallery.status.Reason;
import dev.imagegallery.validation.FirstClaim;
import dev.imagegallery.validation.VersionCompatibility;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/**
 * The byte quota (image-gallery.bytes-per-namespace-per-region): the replicas of one namespace's
 * versions in one region, size times count, first created first served, as the other quotas. Pure.
 */
final class ByteQuota {
    static final String SETTING = "image-gallery.bytes-per-namespace-per-region";

    private ByteQuota() {}

    /** The budget in bytes, when the setting has one. */
    static Optional<Long> budget(Optional<String> setting) {
        return setting.map(q -> Quantity.getAmountInBytes(new Quantity(q)).longValueExact());
    }

    /**
     * Whether {@code version} ({@code sizeBytes} a replica) would take its namespace over the budget in
     * one of its target regions, counting only the namespace's versions created before it.
     *
     * @param sameNamespaceTargeting the namespace's versions that target a region, by region name
     * @param sizeOf a version's size a replica, as declared or probed (0 while unknown)
     * @param softDeletedIn bytes the namespace's soft-deleted versions (other than this one) keep in a region
     */
    static Optional<Outcome> exceeded(
            ImageVersion version,
            long sizeBytes,
            long budget,
            Function<String, Collection<ImageVersion>> sameNamespaceTargeting,
            ToLongFunction<ImageVersion> sizeOf,
            ToLongFunction<String> softDeletedIn) {
        for (TargetRegion target : version.getSpec().publishingProfile.targetRegions) {
            long softDeleted = softDeletedIn.applyAsLong(target.name);
            Map<FirstClaim.Claimant, Long> asks = sameNamespaceTargeting.apply(target.name).stream()
                    .collect(Collectors.toMap(
                            Keys::claimant, v -> sizeOf.applyAsLong(v) * replicasIn(v, target.name), Long::sum));
            long own = sizeBytes * VersionCompatibility.replicaCount(version.getSpec(), target);
            if (FirstClaim.beyondBudget(Keys.claimant(version), own, asks, budget - softDeleted)) {
                return Optional.of(Outcome.stalled(
                        Reason.QuotaExceeded,
                        "namespace " + version.getMetadata().getNamespace() + " would hold more than " + budget
                                + " bytes of replicas in region " + target.name + " with this version's " + own
                                + (softDeleted > 0 ? " (and " + softDeleted + " bytes of soft-deleted versions)" : "")
                                + ", its quota (" + SETTING + ")"));
            }
        }
        return Optional.empty();
    }

    private static int replicasIn(ImageVersion version, String region) {
        return version.getSpec().publishingProfile.targetRegions.stream()
                .filter(t -> t.name.equals(region))
                .findFirst()
                .map(t -> VersionCompatibility.replicaCount(version.getSpec(), t))
                .orElse(0);
    }
}
