package dev.imagegallery.reconciler.gallery;

import dev.imagegallery.api.Gallery;
import dev.imagegallery.api.GalleryStatus.SoftDeletedVersion;
import dev.imagegallery.api.Region;
import dev.imagegallery.events.EventRecorder;
import dev.imagegallery.reconciler.VersionFeed;
import dev.imagegallery.reconciler.version.ReplicaRecord;
import dev.imagegallery.reconciler.version.SoftDeletes;
import dev.imagegallery.status.Reason;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The gallery's part in soft delete: its status records the versions handed over by their cleanup
 * ({@link SoftDeletes}), lets go of those a live version took over, and deletes the replicas of
 * those whose time is up, with an Event each.
 */
final class SoftDeleteStep {
    /** An expired record whose replicas could not all be deleted is tried again this often. */
    static final Duration EXPIRY_RETRY = Duration.ofMinutes(1);
    /** A record a live version may be restored from is looked at again this soon: it goes once the version holds it. */
    private static final Duration RESTORE_RECHECK = Duration.ofSeconds(5);

    private final SoftDeletes softDeletes;
    private final VersionFeed feed;
    private final EventRecorder events;

    SoftDeleteStep(SoftDeletes softDeletes, VersionFeed feed, EventRecorder events) {
        this.softDeletes = softDeletes;
        this.feed = feed;
        this.events = events;
    }

    /**
     * @param kept what the gallery's status is to record
     * @param lookAgain when the gallery is to be reconciled again for them: an expiry, a restore, a retry
     */
    record Applied(List<SoftDeletedVersion> kept, Optional<Duration> lookAgain) {}

    EventSource<Void, Gallery> eventSource() {
        return softDeletes.eventSource();
    }

    Applied apply(Gallery gallery, Context<Gallery> context, Instant now) {
        SoftDeletedVersions.Plan plan = SoftDeletedVersions.plan(
                recorded(gallery),
                softDeletes.handedOver(ResourceID.fromResource(gallery)),
                v -> live(gallery, v),
                now);
        List<SoftDeletedVersion> kept = new ArrayList<>(plan.kept());
        List<SoftDeletedVersion> failed = expire(gallery, plan.expired(), context);
        kept.addAll(failed);
        return new Applied(
                kept,
                Stream.of(
                                plan.nextExpiry(now)
                                        .map(at -> Duration.between(now, at).plusSeconds(1)),
                                Optional.of(RESTORE_RECHECK).filter(d -> plan.waiting()),
                                Optional.of(EXPIRY_RETRY).filter(d -> !failed.isEmpty()))
                        .flatMap(Optional::stream)
                        .min(Comparator.naturalOrder()));
    }

    /** Tells the versions waiting on the gallery what its status now records. */
    void recorded(Gallery gallery, List<SoftDeletedVersion> kept) {
        softDeletes.recorded(ResourceID.fromResource(gallery), kept);
    }

    /** Deletes the replicas of every soft-deleted version, for when the gallery goes; false if some failed. */
    boolean purge(Gallery gallery, Context<Gallery> context) {
        List<SoftDeletedVersion> all = SoftDeletedVersions.plan(
                        recorded(gallery),
                        softDeletes.handedOver(ResourceID.fromResource(gallery)),
                        v -> SoftDeletedVersions.Live.NONE,
                        Instant.MAX)
                .expired();
        if (!expire(gallery, all, context).isEmpty()) {
            return false;
        }
        softDeletes.forget(ResourceID.fromResource(gallery));
        return true;
    }

    private static List<SoftDeletedVersion> recorded(Gallery gallery) {
        return gallery.getStatus() == null || gallery.getStatus().softDeletedVersions == null
                ? List.of()
                : gallery.getStatus().softDeletedVersions;
    }

    /**
     * Whether a version of the soft-deleted one's number lives (not being deleted), and holds a verified replica
     * yet: restored, or copied over with other bytes. One on hold, or still copying, may yet need the record.
     */
    private SoftDeletedVersions.Live live(Gallery gallery, SoftDeletedVersion deleted) {
        return feed.ofDefinition(gallery.getMetadata().getNamespace(), deleted.imageDefinition).stream()
                .filter(v -> v.getSpec().version.equals(deleted.version) && !v.isMarkedForDeletion())
                .map(v -> ReplicaRecord.of(v.getStatus()).verified().values().stream()
                                .anyMatch(verified -> !verified.isEmpty())
                        ? SoftDeletedVersions.Live.HOLDING
                        : SoftDeletedVersions.Live.WAITING)
                .min(Comparator.reverseOrder())
                .orElse(SoftDeletedVersions.Live.NONE);
    }

    /**
     * Deletes the replicas of expired soft-deleted versions, with a Normal Event each.
     *
     * @return those whose deletion failed, to keep on record and try again
     */
    private List<SoftDeletedVersion> expire(
            Gallery gallery, List<SoftDeletedVersion> expired, Context<Gallery> context) {
        if (expired.isEmpty()) {
            return List.of();
        }
        List<Region> regions =
                context.getClient().resources(Region.class).list().getItems();
        List<SoftDeletedVersion> failed = new ArrayList<>();
        for (SoftDeletedVersion version : expired) {
            Map<String, String> failures =
                    softDeletes.deleteReplicas(ResourceID.fromResource(gallery), version, regions);
            String what = "soft-deleted ImageVersion " + version.name + " (" + version.imageDefinition + " "
                    + version.version + ", deleted at " + version.deletedAt + ")";
            if (failures.isEmpty()) {
                events.normal(
                        gallery,
                        Reason.SoftDeleteExpired,
                        what + " expired at " + version.expiresAt + ": its " + version.replicas.size()
                                + " replicas are deleted from their stores");
            } else {
                failed.add(version);
                events.warning(
                        gallery,
                        Reason.ReplicaDeletionFailed,
                        what + " expired, but deleting its replicas failed: " + failures);
            }
        }
        return failed;
    }
}
