package dev.imagegallery.reconciler.version;

import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.events.EventRecorder;
import dev.imagegallery.placement.PlacementResult;
import dev.imagegallery.placement.RegionPlacement;
import dev.imagegallery.reconciler.DataDisks;
import dev.imagegallery.reconciler.version.Replication.PendingRemoval;
import dev.imagegallery.replication.CopyState;
import dev.imagegallery.replication.ReplicaKey;
import dev.imagegallery.replication.VersionKey;
import dev.imagegallery.status.Messages;
import dev.imagegallery.status.Reason;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The act step of a version's reconcile: deletes the replicas its placement dropped, starts or
 * follows the copies of the others (on the copy threads, never this one); and, when the version
 * goes, deletes them all.
 */
final class ReplicationStep {
    private final ReplicationService service;
    private final EventRecorder events;

    ReplicationStep(ReplicationService service, EventRecorder events) {
        this.service = service;
        this.events = events;
    }

    /**
     * Replicates the placed version; a region is Completed only once its bytes are copied and verified
     * in every store. A replica the placement dropped goes at once when its region is no longer a
     * target or holds every wanted replica verified (a lower count); otherwise (its store shrank, or
     * stopped offering the type) it stays until its replacement is verified. A version restored from a
     * soft-deleted one says so in an Event.
     */
    Replication.Running act(ObservedVersion observed, long sizeBytes, PlacementResult placement) {
        ImageVersion version = observed.version();
        VersionKey key = observed.key().orElseThrow();
        observed.restoring()
                .ifPresent(deleted -> events.normal(
                        version,
                        Reason.Restored,
                        "restoring from the replicas ImageVersion " + deleted.name + " left in the stores when it was"
                                + " soft-deleted at " + deleted.deletedAt + " (same version number and sha256):"
                                + " they are verified where they are, not copied"));
        PlacementDiff diff = PlacementDiff.of(key, placement, observed.catalogue(), observed.record());
        Map<String, String> annotations = version.getMetadata().getAnnotations();
        Map<ReplicaKey, ReplicaCopy> states = service.replicate(
                ResourceID.fromResource(version),
                key,
                version.getSpec(),
                sizeBytes,
                diff.wanted(),
                observed.record().verified(key, observed.catalogue()),
                observed.record().copiedFrom(key),
                annotations == null ? null : annotations.get(ReplicationService.RETRY_ANNOTATION));
        // Retention trims a version only once all it keeps is verified: never down to replicas that may yet fail.
        List<Integer> luns = DataDisks.luns(version.getSpec());
        boolean keptVerified = placement.regions().stream().allMatch(region -> verified(key, luns, region, states));
        Map<Boolean, List<StoredReplica>> removableNow = diff.dropped().stream()
                .collect(Collectors.partitioningBy(
                        replica -> observed.trimmedByRetention(replica.key().region())
                                ? keptVerified
                                : replacedOrNotNeeded(replica, luns, placement, states)));
        List<PendingRemoval> pending = new ArrayList<>(removableNow.get(false).stream()
                .map(r -> new PendingRemoval(
                        r,
                        observed.trimmedByRetention(r.key().region())
                                ? "trimmed by the definition's retention; kept until the regions the version keeps"
                                        + " are verified"
                                : "kept until the replicas replacing it are verified",
                        false))
                .toList());
        delete(version, removableNow.get(true))
                .forEach((replica, failure) ->
                        pending.add(new PendingRemoval(replica, Messages.bounded(failure), true)));
        return new Replication.Running(sizeBytes, placement, states, pending);
    }

    /** Whether a dropped replica may go now: its region is no longer placed, or all the region wants is verified. */
    private static boolean replacedOrNotNeeded(
            StoredReplica dropped, List<Integer> luns, PlacementResult placement, Map<ReplicaKey, ReplicaCopy> states) {
        return placement
                .region(dropped.key().region())
                .map(region -> verified(dropped.key().version(), luns, region, states))
                .orElse(true);
    }

    /** Whether the region is placed and every disk (the OS disk, the data disks {@code luns}) of every replica it wants is verified. */
    static boolean verified(
            VersionKey key, List<Integer> luns, RegionPlacement region, Map<ReplicaKey, ReplicaCopy> states) {
        return region instanceof RegionPlacement.Placed
                && region.replicas().stream()
                        .flatMap(r -> new ReplicaKey(key, region.region(), r.index()).withDataDisks(luns).stream())
                        .allMatch(disk -> Optional.ofNullable(states.get(disk))
                                .map(copy -> copy.state() instanceof CopyState.Completed)
                                .orElse(false));
    }

    /**
     * Deletes every replica the version's status records, for when the version goes. Their paths come
     * from the version's own namespace, definition and number and its definition's gallery, never from
     * its status.
     *
     * @return why some could not be deleted, or empty when all are gone
     */
    Optional<String> deleteAll(ImageVersion version, VersionKey key, RegionCatalogue catalogue) {
        return deleteAllBut(version, key, catalogue, replica -> false);
    }

    /** The same, but for the replicas {@code kept} (those a soft delete leaves in their stores). */
    Optional<String> deleteAllBut(
            ImageVersion version, VersionKey key, RegionCatalogue catalogue, Predicate<StoredReplica> kept) {
        Map<StoredReplica, String> failures = delete(
                version,
                ReplicaRecord.of(version.getStatus()).all(key, catalogue).stream()
                        .filter(kept.negate())
                        .toList());
        if (!failures.isEmpty()) {
            return Optional.of(FailedDeletions.describe(
                    "deleting its replicas failed: ",
                    failures.entrySet().stream()
                            .map(f -> "replica " + f.getKey().key().index() + " of region "
                                    + f.getKey().key().region() + " on store "
                                    + f.getKey().store() + ": " + f.getValue())
                            .toList()));
        }
        service.forget(key);
        return Optional.empty();
    }

    /** Deletes the replicas from their stores; those whose store left the catalogue are left in place, with a Warning. */
    private Map<StoredReplica, String> delete(ImageVersion version, List<StoredReplica> replicas) {
        replicas.stream()
                .filter(r -> r.storeSpec().isEmpty())
                .forEach(r -> events.warning(
                        version,
                        Reason.ReplicaLeftInPlace,
                        "replica " + r.key().index() + " of region " + r.key().region() + " is on store " + r.store()
                                + ", which is no longer in the Region catalogue: delete "
                                + r.withDataDisks(DataDisks.luns(version.getSpec())).stream()
                                        .map(disk -> disk.key().objectPath())
                                        .collect(Collectors.joining(", "))
                                + " from that store by hand"));
        return service.delete(replicas, DataDisks.luns(version.getSpec()));
    }
}
