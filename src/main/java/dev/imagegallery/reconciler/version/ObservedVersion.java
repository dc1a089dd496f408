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
 * @param record its replicas as its status records them
 * @param catalogue the Region catalogue
 * @param sameNumber the versions of its definition with its version number, itself included
 * @param sameNamespaceByTarget for each of its target regions, the versions of its namespace that
 *     target it, itself included
 * @param retention where its definition's retention policy keeps it; empty without a policy
 * @param restoring the soft-deleted version of its number and digest it is restored from, while its status
 *     records no replica: its replicas stand for the version's own once it is placed ({@link #placedAsRestored})
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

    /**
     * The version as it is placed: when it is restored, with the soft-deleted version's replicas as its record,
     * as verified. Only for placing: a version on hold keeps its own (empty) record, so that its status claims
     * no replica it has not checked.
     */
    ObservedVersion placedAsRestored() {
        return restoring
                .map(deleted -> new ObservedVersion(
                        version,
                        key,
                        SoftDeletion.restored(deleted),
                        catalogue,
                        sameNumber,
                        sameNamespaceByTarget,
                        retention,
                        restoring))
                .orElse(this);
    }

    String namespace() {
        return version.getMetadata().getNamespace();
    }

    /** The version's folder in every store, or null without a definition (never the status's). */
    String storagePath() {
        return key.map(VersionKey::objectPrefix).orElse(null);
    }
}
