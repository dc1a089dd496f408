package dev.imagegallery.reconciler.version;

import dev.imagegallery.placement.PlacementResult;
import dev.imagegallery.placement.RegionPlacement;
import dev.imagegallery.replication.VersionKey;
import java.util.ArrayList;
import java.util.List;

/**
 * A placement set against the version's record: the replicas to have, copied or kept, and the
 * recorded ones the placement dropped (a region removed, fewer replicas, a store gone), to be
 * deleted from their stores. Pure.
 *
 * @param wanted every replica of the placement
 * @param dropped recorded replicas the placement no longer has
 */
record PlacementDiff(List<StoredReplica> wanted, List<StoredReplica> dropped) {

    static PlacementDiff of(
            VersionKey version, PlacementResult placement, RegionCatalogue catalogue, ReplicaRecord record) {
        List<StoredReplica> wanted = new ArrayList<>();
        for (RegionPlacement region : placement.regions()) {
            region.replicas().forEach(r -> wanted.add(catalogue.locate(version, region.region(), r)));
        }
        List<StoredReplica> dropped = record.all(version, catalogue).stream()
                .filter(old -> wanted.stream().noneMatch(old::sameReplicaAs))
                .toList();
        return new PlacementDiff(wanted, dropped);
    }
}
