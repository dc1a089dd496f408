package dev.imagegallery.reconciler.version;

import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.api.ImageVersionStatus.RegionReplication;
import dev.imagegallery.api.ImageVersionStatus.ReplicaRemoval;
import dev.imagegallery.api.Region;
import dev.imagegallery.events.EventRecorder;
import dev.imagegallery.placement.PlacementResult;
import dev.imagegallery.reconciler.version.ReplicaPlan.Located;
import dev.imagegallery.replication.ReplicaKey;
import dev.imagegallery.replication.ReplicaState;
import dev.imagegallery.replication.VersionKey;
import dev.imagegallery.status.Messages;
import dev.imagegallery.status.Outcome;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
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

  /** Replicates the placed version; a region is Completed only once its bytes are copied and verified in every store. */
  ReplicationView follow(ImageVersion version, VersionKey key, long sizeBytes, PlacementResult placement, List<Region> catalogue) {
    ReplicaPlan plan = ReplicaPlan.of(key, placement, catalogue, version.getStatus());
    List<ReplicaRemoval> failedRemovals = delete(version, plan.unwanted()).entrySet().stream().map(failed -> {
      ReplicaRemoval removal = new ReplicaRemoval();
      removal.region = failed.getKey().key().region();
      removal.index = failed.getKey().key().index();
      removal.store = failed.getKey().store();
      removal.details = Messages.bounded(failed.getValue());
      return removal;
    }).toList();
    Map<String, String> annotations = version.getMetadata().getAnnotations();
    Map<ReplicaKey, ReplicaState> states = replicator.replicate(ResourceID.fromResource(version), key, version.getSpec().source, sizeBytes,
        plan.wanted(), ReplicaPlan.recordedCompleted(key, catalogue, version.getStatus()),
        annotations == null ? null : annotations.get(VersionReplicator.RETRY_ANNOTATION));
    List<RegionReplication> regions = placement.regions().stream().map(p -> RegionReplications.replicated(p,
        states.entrySet().stream().filter(e -> e.getKey().region().equals(p.region()))
            .collect(Collectors.toMap(e -> e.getKey().index(), Map.Entry::getValue)))).toList();
    Optional<Outcome> removalProblem = failedRemovals.isEmpty() ? Optional.empty() : Optional.of(Outcome.inProgress("ReplicaDeletionFailed",
        failedDeletions("", failedRemovals.stream().map(r -> "deleting replica " + r.index + " of region " + r.region + " from store "
            + r.store + " failed: " + r.details).toList())));
    return new ReplicationView(regions, sizeBytes, key.objectPrefix(), failedRemovals, removalProblem);
  }

  /**
   * Deletes every replica the version's status records, for when the version goes.
   *
   * @return why some could not be deleted, or empty when all are gone
   */
  Optional<String> deleteAll(ImageVersion version, List<Region> catalogue) {
    Optional<VersionKey> stored = Optional.ofNullable(version.getStatus()).map(s -> s.replicationStatus).map(r -> r.storagePath)
        .map(VersionKey::fromObjectPrefix);
    if (stored.isEmpty()) {
      return Optional.empty();
    }
    Map<Located, String> failures = delete(version, ReplicaPlan.recorded(stored.get(), catalogue, version.getStatus()));
    if (!failures.isEmpty()) {
      return Optional.of(failedDeletions("deleting its replicas failed: ", failures.entrySet().stream().map(f -> "replica "
          + f.getKey().key().index() + " of region " + f.getKey().key().region() + " on store " + f.getKey().store() + ": " + f.getValue())
          .toList()));
    }
    replicator.forget(stored.get());
    return Optional.empty();
  }

  /** The first few failed deletions, how many more, and when they are retried, within a message's bound. */
  private static String failedDeletions(String prefix, List<String> each) {
    String more = each.size() > DELETIONS_NAMED ? "; and " + (each.size() - DELETIONS_NAMED) + " more" : "";
    return Messages.bounded(prefix + String.join("; ", each.subList(0, Math.min(DELETIONS_NAMED, each.size()))), more + RETRYING);
  }

  /** Deletes the replicas from their stores; those whose store left the catalogue are left in place, with a Warning. */
  private Map<Located, String> delete(ImageVersion version, List<Located> replicas) {
    replicas.stream().filter(r -> r.endpoint().isEmpty()).forEach(r -> events.warning(version, "ReplicaLeftInPlace", "replica "
        + r.key().index() + " of region " + r.key().region() + " is on store " + r.store() + ", which is no longer in the Region catalogue:"
        + " delete " + r.key().objectPath() + " from that store by hand"));
    return replicator.delete(replicas);
  }
}
