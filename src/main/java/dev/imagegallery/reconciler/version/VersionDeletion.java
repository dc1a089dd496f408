package dev.imagegallery.reconciler.version;

import dev.imagegallery.api.Gallery;
import dev.imagegallery.api.GallerySpec.SoftDelete;
import dev.imagegallery.api.GalleryStatus.SoftDeletedVersion;
import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.events.EventRecorder;
import dev.imagegallery.replication.VersionKey;
import dev.imagegallery.status.Reason;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Optional;

/**
 * What becomes of a deleted version's replicas: deleted from their stores, or, when its gallery
 * has {@code spec.softDelete} on, the verified ones left there and handed to the gallery to record
 * ({@link SoftDeletes}); the version goes once its gallery's status lists it.
 */
final class VersionDeletion {
    private final ReplicationStep step;
    private final SoftDeletes softDeletes;
    private final EventRecorder events;

    VersionDeletion(ReplicationStep step, SoftDeletes softDeletes, EventRecorder events) {
        this.step = step;
        this.softDeletes = softDeletes;
        this.events = events;
    }

    /** Why the version must wait, or empty once its replicas are deleted or recorded soft-deleted. */
    Optional<String> replicasLeft(
            ImageVersion version, VersionKey key, RegionCatalogue catalogue, Context<ImageVersion> context) {
        Optional<SoftDeletedVersion> softDeleted = softDeletePolicy(key, context)
                .flatMap(policy ->
                        SoftDeletion.of(version, ReplicaRecord.of(version.getStatus()), policy, softDeletes.day()));
        ResourceID gallery = new ResourceID(key.gallery(), key.namespace());
        if (softDeleted.isEmpty()) {
            return step.deleteAll(version, key, catalogue);
        }
        SoftDeletedVersion deleted = softDeleted.get();
        if (!softDeletes.isRecorded(gallery, deleted)) {
            if (!softDeletes.hasRoomFor(gallery, deleted)) {
                events.warning(
                        version,
                        Reason.SoftDeleteSkipped,
                        "gallery " + key.gallery() + " already keeps " + SoftDeletes.MAX_REPLICAS_PER_GALLERY
                                + " replicas of soft-deleted versions, as many as its status can record: this"
                                + " version's replicas are deleted now");
                return step.deleteAll(version, key, catalogue);
            }
            softDeletes.handOver(gallery, deleted);
            return Optional.of("soft-deleting: waiting for gallery " + key.gallery() + " to record the version's"
                    + " replicas in its status.softDeletedVersions");
        }
        // Recorded: what is not kept (replicas not yet verified, removals pending) goes as in any deletion.
        return step.deleteAllBut(
                version,
                key,
                catalogue,
                replica -> deleted.replicas.stream()
                        .anyMatch(r -> r.region.equals(replica.key().region())
                                && r.index == replica.key().index()
                                && r.store.equals(replica.store())));
    }

    /** The gallery's soft delete, when it is on; read when a version goes, which is seldom. */
    private static Optional<SoftDelete> softDeletePolicy(VersionKey key, Context<ImageVersion> context) {
        Gallery gallery = context.getClient()
                .resources(Gallery.class)
                .inNamespace(key.namespace())
                .withName(key.gallery())
                .get();
        return Optional.ofNullable(gallery)
                .map(g -> g.getSpec().softDelete)
                .filter(policy -> Boolean.TRUE.equals(policy.enabled));
    }
}
