package dev.imagegallery.reconciler.version;

import dev.imagegallery.api.Gallery;
import dev.imagegallery.api.GalleryStatus.SoftDeletedVersion;
import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.events.EventRecorder;
import dev.imagegallery.replication.VersionKey;
import dev.imagegallery.status.Reason;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What becomes of a deleted version's replicas: deleted from their stores, or, when its gallery
 * has {@code spec.softDelete} on, the verified ones left there and handed to the gallery to record
 * ({@link SoftDeletes}); the version goes once its gallery's status lists it.
 */
final class VersionDeletion {
    /** The gallery records a hand-over within its next reconcile: the version looks again this soon. */
    private static final Duration HAND_OVER_RECHECK = Duration.ofSeconds(2);

    private final ReplicationStep step;
    private final SoftDeletes softDeletes;
    private final EventRecorder events;

    VersionDeletion(ReplicationStep step, SoftDeletes softDeletes, EventRecorder events) {
        this.step = step;
        this.softDeletes = softDeletes;
        this.events = events;
    }

    /** Why the version's deletion waits, and when to look again. */
    record Wait(String why, Duration recheck) {}

    /**
     * Why the version must wait, or empty once its replicas are deleted or its gallery's status records them
     * soft-deleted. The record is read from the gallery itself, never from what the gallery controller means
     * to write: the version goes only once the record is stored.
     */
    Optional<Wait> replicasLeft(
            ImageVersion version, VersionKey key, RegionCatalogue catalogue, Context<ImageVersion> context) {
        Optional<Gallery> gallery = Optional.ofNullable(context.getClient()
                .resources(Gallery.class)
                .inNamespace(key.namespace())
                .withName(key.gallery())
                .get());
        Optional<SoftDeletedVersion> recorded = gallery.flatMap(g -> recordedIn(g, version));
        if (recorded.isPresent()) {
            // What is not kept (replicas not yet verified, removals pending) goes as in any deletion.
            return waitFor(step.deleteAllBut(
                    version,
                    key,
                    catalogue,
                    replica -> Optional.ofNullable(recorded.get().replicas).orElse(List.of()).stream()
                            .anyMatch(r -> replica.key().region().equals(r.region)
                                    && Objects.equals(r.index, replica.key().index())
                                    && replica.store().equals(r.store))));
        }
        Optional<SoftDeletedVersion> softDeleted = gallery.map(g -> g.getSpec().softDelete)
                .filter(policy -> Boolean.TRUE.equals(policy.enabled))
                .flatMap(policy ->
                        SoftDeletion.of(version, ReplicaRecord.of(version.getStatus()), policy, softDeletes.day()))
                // Kept Terminating past its window (by its end of life, or an operator down that long): nothing to
                // keep.
                .filter(deleted -> Instant.parse(deleted.expiresAt).isAfter(Instant.now()));
        if (softDeleted.isEmpty()) {
            return waitFor(step.deleteAll(version, key, catalogue));
        }
        ResourceID id = new ResourceID(key.gallery(), key.namespace());
        if (!softDeletes.hasRoomFor(id, softDeleted.get())) {
            events.warning(
                    version,
                    Reason.SoftDeleteSkipped,
                    "gallery " + key.gallery() + " already keeps " + SoftDeletes.MAX_REPLICAS_PER_GALLERY
                            + " replicas of soft-deleted versions, as many as its status can record: this"
                            + " version's replicas are deleted now");
            return waitFor(step.deleteAll(version, key, catalogue));
        }
        softDeletes.handOver(id, softDeleted.get());
        return Optional.of(new Wait(
                "soft-deleting: waiting for gallery " + key.gallery() + " to record the version's replicas in its"
                        + " status.softDeletedVersions",
                HAND_OVER_RECHECK));
    }

    private static Optional<Wait> waitFor(Optional<String> replicasLeft) {
        return replicasLeft.map(why -> new Wait(why, Replication.RECHECK));
    }

    /** This deletion of the version, as its gallery's status records it. */
    private static Optional<SoftDeletedVersion> recordedIn(Gallery gallery, ImageVersion version) {
        String deletedAt =
                Instant.parse(version.getMetadata().getDeletionTimestamp()).toString();
        return Optional.ofNullable(gallery.getStatus()).map(s -> s.softDeletedVersions).orElse(List.of()).stream()
                .filter(v -> version.getSpec().imageDefinitionName.equals(v.imageDefinition)
                        && version.getSpec().version.equals(v.version)
                        && deletedAt.equals(v.deletedAt))
                .findFirst();
    }
}
