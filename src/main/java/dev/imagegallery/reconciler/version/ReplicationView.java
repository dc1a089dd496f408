package dev.imagegallery.reconciler.version;

import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.api.ImageVersionStatus.RegionReplication;
import dev.imagegallery.api.ImageVersionStatus.ReplicaRemoval;
import dev.imagegallery.status.Outcome;
import java.util.List;
import java.util.Optional;

/**
 * What one reconcile found of a version's replication, for its status.
 *
 * @param regions each target region's state (and regions still holding replicas)
 * @param sizeBytes the image size, declared or read from the source; null while unknown
 * @param storagePath the version's folder in every store; null before the first placement
 * @param pendingRemovals unwanted replicas whose deletion failed and is retried
 * @param problem what keeps the version from going on, other than a region's state (an unreadable source, a failed deletion)
 */
public record ReplicationView(List<RegionReplication> regions, Long sizeBytes, String storagePath, List<ReplicaRemoval> pendingRemovals,
    Optional<Outcome> problem) {

  /**
   * The version cannot replicate now: every region says why, and recorded replicas stay on record.
   *
   * @param sizeBytes the size to show: declared, or null while the source is not known to be allowed and readable
   * @param storagePath the version's folder as its spec and definition say, or null without a definition (never the status's)
   */
  public static ReplicationView onHold(ImageVersion version, String details, Long sizeBytes, String storagePath, Optional<Outcome> problem) {
    var recorded = version.getStatus() == null ? null : version.getStatus().replicationStatus;
    return new ReplicationView(RegionReplications.onHold(version, details), sizeBytes, storagePath,
        recorded == null ? null : recorded.pendingRemovals, problem);
  }
}
