package dev.imagegallery.reconciler.version;

import dev.imagegallery.api.ImageVersionStatus.RegionReplication;
import dev.imagegallery.api.ImageVersionStatus.RegionState;
import dev.imagegallery.api.ImageVersionStatus.Replica;
import dev.imagegallery.placement.RegionPlacement;
import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.reconciler.PlacementInputs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

  /**
   * The regions while the version cannot be placed: targets without replicas are Unknown, and every
   * region that holds replicas keeps them on record (they are real, and must not be forgotten).
   */
  static List<RegionReplication> onHold(ImageVersion version, String details) {
    Map<String, List<dev.imagegallery.placement.Replica>> held = PlacementInputs.placed(version).replicasByRegion();
    List<String> regions = new ArrayList<>(version.getSpec().publishingProfile.targetRegions.stream().map(t -> t.name).toList());
    held.keySet().stream().filter(r -> !regions.contains(r)).sorted().forEach(regions::add);
    return regions.stream().map(r -> of(r, RegionState.Unknown, details, held.getOrDefault(r, List.of()))).toList();
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
