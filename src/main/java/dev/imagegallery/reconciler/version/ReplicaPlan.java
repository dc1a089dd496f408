package dev.imagegallery.reconciler.version;

import dev.imagegallery.api.ImageVersionStatus;
import dev.imagegallery.api.ImageVersionStatus.RegionState;
import dev.imagegallery.api.Region;
import dev.imagegallery.placement.PlacementResult;
import dev.imagegallery.placement.RegionPlacement;
import dev.imagegallery.replication.ReplicaKey;
import dev.imagegallery.replication.VersionKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Which replicas a version must have, and which of those its status records must be deleted
 * because the placement no longer wants them (a region removed, fewer replicas, a store gone).
 * Pure.
 *
 * @param wanted every replica of the placement, to be copied or kept
 * @param unwanted recorded replicas the placement dropped, to be deleted from their stores
 */
record ReplicaPlan(List<Located> wanted, List<Located> unwanted) {

  /** A replica and its store; {@code endpoint} is empty when the store left the Region catalogue. */
  record Located(ReplicaKey key, String store, String zone, Optional<String> endpoint) {
    boolean sameReplicaAs(Located other) {
      return key.equals(other.key) && store.equals(other.store);
    }
  }

  static ReplicaPlan of(VersionKey version, PlacementResult placement, Collection<Region> catalogue, ImageVersionStatus recorded) {
    Function<String, Map<String, String>> endpoints = endpointsByStore(catalogue);
    List<Located> wanted = new ArrayList<>();
    for (RegionPlacement region : placement.regions()) {
      Map<String, String> stores = endpoints.apply(region.region());
      region.replicas().forEach(r -> wanted.add(new Located(new ReplicaKey(version, region.region(), r.index()), r.store(), r.zone(),
          Optional.ofNullable(stores.get(r.store())))));
    }
    List<Located> unwanted = recorded(version, catalogue, recorded).stream()
        .filter(old -> wanted.stream().noneMatch(old::sameReplicaAs)).toList();
    return new ReplicaPlan(wanted, unwanted);
  }

  /** Every replica the status says exists: those of the regions, and those whose deletion is still pending. */
  static List<Located> recorded(VersionKey version, Collection<Region> catalogue, ImageVersionStatus status) {
    List<Located> recorded = inRegions(version, catalogue, status, replica -> true);
    Function<String, Map<String, String>> endpoints = endpointsByStore(catalogue);
    replication(status).map(r -> r.pendingRemovals).orElse(List.of()).forEach(removal -> recorded.add(new Located(
        new ReplicaKey(version, removal.region, removal.index), removal.store, null,
        Optional.ofNullable(endpoints.apply(removal.region).get(removal.store)))));
    return recorded;
  }

  /** The replicas the status records as copied and verified. */
  static List<Located> recordedCompleted(VersionKey version, Collection<Region> catalogue, ImageVersionStatus status) {
    return inRegions(version, catalogue, status, replica -> replica.state == RegionState.Completed);
  }

  private static List<Located> inRegions(VersionKey version, Collection<Region> catalogue, ImageVersionStatus status,
      Predicate<ImageVersionStatus.Replica> which) {
    Function<String, Map<String, String>> endpoints = endpointsByStore(catalogue);
    List<Located> found = new ArrayList<>();
    for (var region : replication(status).map(r -> r.summary).orElse(List.of())) {
      for (var replica : Optional.ofNullable(region.replicas).orElse(List.of())) {
        if (which.test(replica)) {
          found.add(new Located(new ReplicaKey(version, region.region, replica.index), replica.store, replica.zone,
              Optional.ofNullable(endpoints.apply(region.region).get(replica.store))));
        }
      }
    }
    return found;
  }

  private static Optional<ImageVersionStatus.ReplicationStatus> replication(ImageVersionStatus status) {
    return Optional.ofNullable(status).map(s -> s.replicationStatus);
  }

  private static Function<String, Map<String, String>> endpointsByStore(Collection<Region> catalogue) {
    Map<String, Map<String, String>> byRegion = catalogue.stream().collect(Collectors.toMap(r -> r.getMetadata().getName(),
        r -> r.getSpec().stores.stream().collect(Collectors.toMap(s -> s.name, s -> s.endpoint, (a, b) -> a))));
    return region -> byRegion.getOrDefault(region, Map.of());
  }
}
