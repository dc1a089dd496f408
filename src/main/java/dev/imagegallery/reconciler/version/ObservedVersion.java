package dev.imagegallery.reconciler.version;

import dev.imagegallery.api.GalleryStatus.SoftDeletedVersion;
import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.api.ImageVersionSpec;
import dev.imagegallery.api.ImageVersionSpec.TargetRegion;
import dev.imagegallery.replication.VersionKey;
import dev.imagegallery.retention.RetentionWindow;
import dev.imagegallery.validation.FirstClaim.Claimant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one reconcile reads of a version, once, before deciding anything.
 *
 * @param key where its replicas live in the stores; empty while its definition does not exist
 * @param record its replicas as its status records them, or as a soft-deleted version of its number and
 *     digest left them when its status records none ({@code restoring})
 * @param catalogue the Region catalogue
 * @param sameNumber the versions of its definition with its version number, itself included
 * @param sameNamespaceByTarget for each of its target regions, the versions of its namespace that
 *     target it, itself included
 * @param retention where its definition's retention policy keeps it; empty without a policy
 * @param restoring the soft-deleted version it is restored from, while its status records no replica
 */
record ObservedVersion(
        ImageVersion version,
        Optional<VersionKey> key,
        ReplicaRecord record,
        RegionCatalogue catalogue,
        List<Claimant> sameNumber,
        Map<String, Collection<ImageVersion>> sameNamespaceByTarget,
        Optional<RetentionWindow.Kept> retention,
        Optional<SoftDeletedVersion> restoring) {

    ImageVersionSpec spec() {
        return version.getSpec();
    }

    /** The target regions it keeps replicas in: its spec's, less those its definition's retention trims. */
    List<TargetRegion> targets() {
        List<TargetRegion> all = spec().publishingProfile.targetRegions;
        return retention
                .map(kept -> all.stream()
                        .filter(t -> kept.regions().contains(t.name))
                        .toList())
                .orElse(all);
    }

    /** Whether the region is one of its spec's targets that retention trims. */
    boolean trimmedByRetention(String region) {
        return retention.isPresent()
                && !retention.get().regions().contains(region)
                && spec().publishingProfile.targetRegions.stream().anyMatch(t -> t.name.equals(region));
    }

    String namespace() {
        return version.getMetadata().getNamespace();
    }

    /** The version's folder in every store, or null without a definition (never the status's). */
    String storagePath() {
        return key.map(VersionKey::objectPrefix).orElse(null);
    }
}
