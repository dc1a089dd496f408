package dev.imagegallery.reconciler.version;

import dev.imagegallery.api.ImageVersionStatus.RegionReplication;
import dev.imagegallery.api.ImageVersionStatus.RegionState;
import dev.imagegallery.api.ImageVersionStatus.Replica;
import dev.imagegallery.placement.RegionPlacement;
import java.util.List;
import java.util.stream.Collectors;

/** Builds a region's replication entry of the version status from a placement decision. */
final class RegionReplications {
  private RegionReplications() {}

  static RegionReplication fromPlacement(RegionPlacement placement) {
    if (placement instanceof RegionPlacement.Failed failed) {
      return of(failed.region(), RegionState.Failed, failed.reason(), failed.replicas());
    }
    RegionPlacement.Placed placed = (RegionPlacement.Placed) placement;
    String stores = placed.replicas().stream().map(r -> r.store()).distinct().collect(Collectors.joining(", "));
    return of(placed.region(), RegionState.Unknown, placed.replicas().size() + " replicas placed on " + stores
        + "; waiting for replication: this build of the operator does not copy image bytes yet", placed.replicas());
  }

  static RegionReplication of(String region, RegionState state, String details, List<dev.imagegallery.placement.Replica> replicas) {
    RegionReplication entry = new RegionReplication();
    entry.region = region;
    entry.state = state;
    entry.progress = 0;
    entry.details = details;
    entry.replicas = replicas.isEmpty() ? null : replicas.stream().map(r -> {
      Replica replica = new Replica();
      replica.index = r.index();
      replica.store = r.store();
      replica.zone = r.zone();
      replica.state = state == RegionState.Failed ? RegionState.Unknown : state;
      replica.progress = 0;
      return replica;
    }).toList();
    return entry;
  }
}
