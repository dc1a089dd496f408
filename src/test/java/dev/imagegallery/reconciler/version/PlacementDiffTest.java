package dev.imagegallery.reconciler.version;

import static dev.imagegallery.reconciler.version.Versions.region;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegallery.api.ImageVersionStatus;
import dev.imagegallery.api.ImageVersionStatus.RegionReplication;
import dev.imagegallery.api.ImageVersionStatus.RegionState;
import dev.imagegallery.api.ImageVersionStatus.ReplicaRemoval;
import dev.imagegallery.api.ImageVersionStatus.ReplicationStatus;
import dev.imagegallery.placement.PlacedReplica;
import dev.imagegallery.placement.PlacementResult;
import dev.imagegallery.placement.RegionPlacement;
import dev.imagegallery.replication.VersionKey;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlacementDiffTest {
    private static final VersionKey VERSION = new VersionKey("team", "gallery", "ubuntu", "1.0.0");
    private static final RegionCatalogue CATALOGUE =
            RegionCatalogue.of(List.of(region("west", "s1", "s2"), region("east", "e1")));

    @Test
    void everyPlacedReplicaIsWantedWithItsStoresEndpoint() {
        PlacementDiff diff = PlacementDiff.of(
                VERSION,
                placement(new RegionPlacement.Placed("west", List.of(new PlacedReplica(0, "s1", null)))),
                CATALOGUE,
                ReplicaRecord.of(null));

        assertThat(diff.wanted())
                .extracting(r -> r.key().toString(), r -> r.storeSpec().map(spec -> spec.endpoint))
                .containsExactly(org.assertj.core.groups.Tuple.tuple(
                        "west:team/gallery/ubuntu/1.0.0/0", Optional.of("file:///stores/west/s1")));
        assertThat(diff.dropped()).isEmpty();
    }

    @Test
    void replicasOfARemovedRegionOrAMovedReplicaOrAPendingRemovalAreDropped() {
        ImageVersionStatus recorded = status(
                recordedRegion("west", new int[] {0, 1}, new String[] {"s1", "s1"}),
                recordedRegion("east", new int[] {0}, new String[] {"e1"}));
        ReplicaRemoval stuck = new ReplicaRemoval();
        stuck.region = "gone";
        stuck.index = 0;
        stuck.store = "g1";
        recorded.replicationStatus.pendingRemovals = List.of(stuck);

        // West keeps replica 0 where it is and moves replica 1 to s2; east is no longer a target.
        PlacementDiff diff = PlacementDiff.of(
                VERSION,
                placement(new RegionPlacement.Placed(
                        "west", List.of(new PlacedReplica(0, "s1", null), new PlacedReplica(1, "s2", null)))),
                CATALOGUE,
                ReplicaRecord.of(recorded));

        assertThat(diff.dropped())
                .extracting(r -> r.key().toString() + "@" + r.store() + " "
                        + r.storeSpec().map(spec -> spec.endpoint).orElse("(not in catalogue)"))
                .containsExactly(
                        "west:team/gallery/ubuntu/1.0.0/1@s1 file:///stores/west/s1",
                        "east:team/gallery/ubuntu/1.0.0/0@e1 file:///stores/east/e1",
                        "gone:team/gallery/ubuntu/1.0.0/0@g1 (not in catalogue)");
    }

    @Test
    void onlyReplicasRecordedAsCompletedCountAsCompletedOnRecord() {
        RegionReplication west = recordedRegion("west", new int[] {0, 1}, new String[] {"s1", "s2"});
        west.replicas.get(1).state = RegionState.Replicating;

        assertThat(ReplicaRecord.of(status(west)).verified(VERSION, CATALOGUE))
                .extracting(StoredReplica::store)
                .containsExactly("s1");
    }

    private static PlacementResult placement(RegionPlacement... regions) {
        return new PlacementResult(List.of(regions));
    }

    private static ImageVersionStatus status(RegionReplication... regions) {
        ImageVersionStatus status = new ImageVersionStatus();
        status.replicationStatus = new ReplicationStatus();
        status.replicationStatus.summary = List.of(regions);
        return status;
    }

    private static RegionReplication recordedRegion(String name, int[] indexes, String[] stores) {
        RegionReplication region = new RegionReplication();
        region.region = name;
        region.replicas = new java.util.ArrayList<>();
        for (int i = 0; i < indexes.length; i++) {
            ImageVersionStatus.Replica replica = new ImageVersionStatus.Replica();
            replica.index = indexes[i];
            replica.store = stores[i];
            replica.state = RegionState.Completed;
            region.replicas.add(replica);
        }
        return region;
    }
}
