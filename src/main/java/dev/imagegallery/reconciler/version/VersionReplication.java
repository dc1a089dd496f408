package dev.imagegallery.reconciler.version;

import dev.imagegallery.status.Reason;
import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.api.ImageVersionStatus.RegionReplication;
import dev.imagegallery.api.ImageVersionStatus.ReplicaRemoval;
import dev.imagegallery.api.Region;
import dev.imagegallery.events.EventRecorder;
import dev.imagegallery.placement.PlacementResult;
import dev.imagegallery.placement.RegionPlacement;
import dev.imagegallery.reconciler.version.ReplicaPlan.Located;
import dev.imagegallery.replication.ReplicaKey;
import dev.imagegallery.replication.CopyState;
import dev.imagegallery.replication.VersionKey;
import dev.imagegallery.status.Messages;
import dev.imagegallery.status.Outcome;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One version's replication, step by step: delete the replicas its placement dropped, start or
 * follow the copies of the others, and say how every region stands; on deletion, delete them all.
 */
final class VersionReplication {
  /** An unreadable source or a store refusing a deletion is looked at again this often. */
  static final Duration RECHECK = Duration.ofSeconds(30);
  private static final String RETRYING = "; retrying every " + RECHECK.toSeconds() + "s";
  /** A version may have 1,000 replicas: a message about failed deletions names a few. */
  private static final int DELETIONS_NAMED = 3;

  private final VersionReplicator replicator;
  private final EventRecorder events;

  VersionReplication(VersionReplicator replicator, EventRecorder events) {
    this.replicator = replicator;
    this.events = events;
  }

  /**
   * Replicates the placed version; a region is Completed only once its bytes are copied and verified
   * in every store. A replica the placement dropped goes at once when its region is no longer a
   * target or holds every wanted replica verified (a lower count); otherwise (its store shrank, or
   * stopped offering the type) it stays until its replacement is verified.
   */
  ReplicationView follow(ImageVersion version, VersionKey key, long sizeBytes, PlacementResult placement, List<Region> catalogue) {
    ReplicaPlan plan = ReplicaPlan.of(key, placement, catalogue, version.getStatus());
    Map<String, String> annotations = version.getMetadata().getAnnotations();
    Map<ReplicaKey, CopyState> states = replicator.replicate(ResourceID.fromResource(version), key, version.getSpec().source, sizeBytes,
        plan.wanted(), ReplicaPlan.recordedCompleted(key, catalogue, version.getStatus()),
        annotations == null ? null : annotations.get(VersionReplicator.RETRY_ANNOTATION));
    Map<Boolean, List<Located>> removableNow = plan.unwanted().stream()
        .collect(Collectors.partitioningBy(replica -> replacedOrNotNeeded(replica, placement, states)));
    List<ReplicaRemoval> kept = removableNow.get(false).stream().map(r -> removal(r, "kept until the replicas replacing it are verified"))
        .toList();
    List<ReplicaRemoval> failedRemovals = delete(version, removableNow.get(true)).entrySet().stream()
        .map(failed -> removal(failed.getKey(), failed.getValue())).toList();
    List<RegionReplication> regions = placement.regions().stream().map(p -> RegionReplications.replicated(p,
        states.entrySet().stream().filter(e -> e.getKey().region().equals(p.region()))
            .collect(Collectors.toMap(e -> e.getKey().index(), Map.Entry::getValue)))).toList();
    Optional<Outcome> removalProblem = failedRemovals.isEmpty() ? Optional.empty() : Optional.of(Outcome.inProgress(Reason.ReplicaDeletionFailed,
        failedDeletions("", failedRemovals.stream().map(r -> "deleting replica " + r.index + " of region " + r.region + " from store "
            + r.store + " failed: " + r.details).toList())));
    List<ReplicaRemoval> pendingRemovals = new ArrayList<>(kept);
    pendingRemovals.addAll(failedRemovals);
    return new ReplicationView(regions, sizeBytes, key.objectPrefix(), pendingRemovals, removalProblem);
  }

  /** Whether a dropped replica may go now: its region is no longer placed, or every replica the region wants is verified. */
  private static boolean replacedOrNotNeeded(Located dropped, PlacementResult placement, Map<ReplicaKey, CopyState> states) {
    return placement.regions().stream().filter(p -> p.region().equals(dropped.key().region())).findFirst()
        .map(region -> region instanceof RegionPlacement.Placed && region.replicas().stream()
            .allMatch(r -> states.get(new ReplicaKey(dropped.key().version(), region.region(), r.index())) instanceof CopyState.Completed))
        .orElse(true);
  }

  private static ReplicaRemoval removal(Located replica, String details) {
    ReplicaRemoval removal = new ReplicaRemoval();
    removal.region = replica.key().region();
    removal.index = replica.key().index();
    removal.store = replica.store();
    removal.details = Messages.bounded(details);
    return removal;
  }

  /**
   * Deletes every replica the version's status records, for when the version goes. Their paths come
   * from the version's own namespace, definition and number and its definition's gallery, never from
   * its status.
   *
   * @return why some could not be deleted, or empty when all are gone
   */
  Optional<String> deleteAll(ImageVersion version, VersionKey key, List<Region> catalogue) {
    Map<Located, String> failures = delete(version, ReplicaPlan.recorded(key, catalogue, version.getStatus()));
    if (!failures.isEmpty()) {
      return Optional.of(failedDeletions("deleting its replicas failed: ", failures.entrySet().stream().map(f -> "replica "
          + f.getKey().key().index() + " of region " + f.getKey().key().region() + " on store " + f.getKey().store() + ": " + f.getValue())
          .toList()));
    }
    replicator.forget(key);
    return Optional.empty();
  }

  /** The first few failed deletions, how many more, and when they are retried, within a message's bound. */
  private static String failedDeletions(String prefix, List<String> each) {
    String more = each.size() > DELETIONS_NAMED ? "; and " + (each.size() - DELETIONS_NAMED) + " more" : "";
    return Messages.bounded(prefix + String.join("; ", each.subList(0, Math.min(DELETIONS_NAMED, each.size()))), more + RETRYING);
  }

  /** Deletes the replicas from their stores; those whose store left the catalogue are left in place, with a Warning. */
  private Map<Located, String> delete(ImageVersion version, List<Located> replicas) {
    replicas.stream().filter(r -> r.endpoint().isEmpty()).forEach(r -> events.warning(version, Reason.ReplicaLeftInPlace, "replica "
        + r.key().index() + " of region " + r.key().region() + " is on store " + r.store() + ", which is no longer in the Region catalogue:"
        + " delete " + r.key().objectPath() + " from that store by hand"));
    return replicator.delete(replicas);
  }
}
