package dev.imagegallery.reconciler.version;

import dev.imagegallery.placement.PlacementResult;
import dev.imagegallery.replication.ReplicaKey;
import dev.imagegallery.status.Outcome;
import dev.imagegallery.status.Reason;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What one reconcile did about a version's replication, in plain values for its status. */
sealed interface Replication {
    /** An unreadable source or a store refusing a deletion is looked at again this often. */
    Duration RECHECK = Duration.ofSeconds(30);

    /** The image size, declared or read from the source; null while unknown. */
    Long sizeBytes();

    /** What keeps the version from going on besides its regions' states: an unreadable source, a failed deletion. */
    Optional<Outcome> problem();

    /**
     * The version cannot replicate now: every region says why, and recorded replicas stay on record.
     *
     * @param details what each region says
     * @param sizeBytes the size to show: declared, or null while the source is not known to be allowed and readable
     */
    record OnHold(String details, Long sizeBytes, Optional<Outcome> problem) implements Replication {}

    /**
     * The version is placed and its copies run.
     *
     * @param states each wanted replica's copy; a replica whose store left the catalogue has none
     * @param pendingRemovals dropped replicas still in their stores, kept or failing to be deleted
     */
    record Running(
            Long sizeBytes,
            PlacementResult placement,
            Map<ReplicaKey, ReplicaCopy> states,
            List<PendingRemoval> pendingRemovals)
            implements Replication {
        @Override
        public Optional<Outcome> problem() {
            List<String> failed = pendingRemovals.stream()
                    .filter(PendingRemoval::deletionFailed)
                    .map(r -> "deleting replica " + r.replica().key().index() + " of region "
                            + r.replica().key().region() + " from store "
                            + r.replica().store() + " failed: " + r.details())
                    .toList();
            return failed.isEmpty()
                    ? Optional.empty()
                    : Optional.of(
                            Outcome.inProgress(Reason.ReplicaDeletionFailed, FailedDeletions.describe("", failed)));
        }
    }

    /**
     * A dropped replica that is still in its store.
     *
     * @param details why it is still there
     * @param deletionFailed whether deleting it failed (rather than its waiting for its replacement)
     */
    record PendingRemoval(StoredReplica replica, String details, boolean deletionFailed) {}
}
