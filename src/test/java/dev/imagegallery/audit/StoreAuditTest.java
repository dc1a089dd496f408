package dev.imagegallery.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.api.ImageVersionSpec;
import dev.imagegallery.api.ImageVersionStatus;
import dev.imagegallery.api.ImageVersionStatus.RegionState;
import dev.imagegallery.audit.StoreAudit.RecordedReplica;
import dev.imagegallery.replication.ObjectStore.StoredObject;
import dev.imagegallery.replication.ReplicaKey;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class StoreAuditTest {
    private static final long SIZE = 1000;
    private static final String V1 = "team-a/main/ubuntu/1.0.0";

    @Test
    void objectsOfNoRecordedReplicaAreOrphansEachNamedOnceWhateverStagingOrMarkerCameWithThem() {
        List<RecordedReplica> recorded = StoreAudit.recorded(
                Stream.of(version("1.0.0", "main", replica(0, "s", RegionState.Completed))), "west", "s");

        var findings = StoreAudit.audit(
                List.of(
                        object(V1 + "/0", SIZE),
                        object(V1 + "/0.sha256", 80),
                        object(V1 + "/1", SIZE),
                        object(V1 + "/1.sha256", 80),
                        object(V1 + "/2.first_1234-1.partial", 10),
                        object("team-b/main/ubuntu/9.0.0/0.sha256", 80),
                        object("notes.txt", 3),
                        object(".imagegallery-probe", 0)),
                recorded,
                recorded);

        assertThat(findings.orphans())
                .containsExactly(
                        "notes.txt",
                        "team-a/main/ubuntu/1.0.0/1",
                        "team-a/main/ubuntu/1.0.0/2",
                        "team-b/main/ubuntu/9.0.0/0");
        assertThat(findings.damaged()).isEmpty();
    }

    @Test
    void aCompletedReplicaGoneTruncatedOrWithoutItsMarkerIsDamagedOneStillCopyingIsNot() {
        List<RecordedReplica> recorded = StoreAudit.recorded(
                Stream.of(version(
                        "1.0.0",
                        "main",
                        replica(0, "s", RegionState.Completed),
                        replica(1, "s", RegionState.Completed),
                        replica(2, "s", RegionState.Completed),
                        replica(3, "s", RegionState.Completed),
                        replica(4, "s", RegionState.Replicating),
                        replica(5, "other", RegionState.Completed))),
                "west",
                "s");

        var findings = StoreAudit.audit(
                List.of(
                        object(V1 + "/0", SIZE),
                        object(V1 + "/0.sha256", 80),
                        object(V1 + "/2", SIZE / 2),
                        object(V1 + "/2.sha256", 80),
                        object(V1 + "/3", SIZE),
                        object(V1 + "/4.first_1234-1.partial", 10)),
                recorded,
                recorded);

        assertThat(findings.damaged())
                .extracting(d -> d.replica().key().index(), StoreAudit.Damaged::problem)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, "is gone from the store"),
                        org.assertj.core.groups.Tuple.tuple(2, "holds 500 bytes where 1000 were verified"),
                        org.assertj.core.groups.Tuple.tuple(
                                3, "has lost its marker team-a/main/ubuntu/1.0.0/3.sha256"));
        assertThat(findings.orphans()).isEmpty();
    }

    @Test
    void aReplicasDataDisksAreReferencedAndADataDiskOfAnotherSizeIsDamaged() {
        ImageVersion version = withLun3Of400Bytes(version("1.0.0", "main", replica(0, "s", RegionState.Completed)));
        var onReplica = new ImageVersionStatus.DataDiskReplica();
        onReplica.lun = 3;
        onReplica.state = RegionState.Completed;
        version.getStatus().replicationStatus.summary.get(0).replicas.get(0).dataDisks = List.of(onReplica);
        List<RecordedReplica> recorded = StoreAudit.recorded(Stream.of(version), "west", "s");

        var findings = StoreAudit.audit(
                List.of(
                        object(V1 + "/0", SIZE),
                        object(V1 + "/0.sha256", 80),
                        object(V1 + "/0-lun3", 300),
                        object(V1 + "/0-lun3.sha256", 80),
                        object(V1 + "/0-lun9", 300)),
                recorded,
                recorded);

        assertThat(findings.orphans()).containsExactly(V1 + "/0-lun9");
        assertThat(findings.damaged())
                .extracting(d -> d.replica().key().objectPath(), StoreAudit.Damaged::problem)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(V1 + "/0-lun3", "holds 300 bytes where 400 were verified"));
    }

    @Test
    void theDataDisksOfAReplicaWhoseStatusListsNoneAreReferencedNotOrphans() {
        // A version on hold (over quota, its source unreachable) shows its replicas without their disks.
        ImageVersion onHold = withLun3Of400Bytes(version("1.0.0", "main", replica(0, "s", RegionState.Completed)));
        List<RecordedReplica> recorded = StoreAudit.recorded(Stream.of(onHold), "west", "s");

        var findings = StoreAudit.audit(
                List.of(
                        object(V1 + "/0", SIZE),
                        object(V1 + "/0.sha256", 80),
                        object(V1 + "/0-lun3", 300),
                        object(V1 + "/0-lun3.sha256", 80)),
                recorded,
                recorded);

        assertThat(findings.orphans()).isEmpty();
        assertThat(findings.damaged()).as("not listed Completed: not checked").isEmpty();
    }

    @Test
    void aReplicaRecordedOnlyAfterTheListingIsNoOrphanAndOnlyOneRecordedBeforeCanBeDamaged() {
        List<RecordedReplica> before = StoreAudit.recorded(Stream.of(), "west", "s");
        List<RecordedReplica> after = StoreAudit.recorded(
                Stream.of(version("1.0.0", "main", replica(0, "s", RegionState.Completed))), "west", "s");

        var findings = StoreAudit.audit(List.of(object(V1 + "/0.first_1-1.partial", 10)), before, after);

        assertThat(findings.orphans()).isEmpty();
        assertThat(findings.damaged()).isEmpty();
    }

    @Test
    void aPendingRemovalIsReferencedAndAStatusPointingOutsideItsVersionNamesNothing() {
        ImageVersion leaving = version("1.0.0", "main");
        var removal = new ImageVersionStatus.ReplicaRemoval();
        removal.region = "west";
        removal.index = 7;
        removal.store = "s";
        leaving.getStatus().replicationStatus.pendingRemovals = List.of(removal);
        ImageVersion forged = version("2.0.0", "main", replica(0, "s", RegionState.Completed));
        forged.getStatus().replicationStatus.storagePath = "team-b/main/ubuntu/2.0.0";

        List<RecordedReplica> recorded = StoreAudit.recorded(Stream.of(leaving, forged), "west", "s");

        assertThat(recorded)
                .extracting(r -> r.key().objectPath(), RecordedReplica::completed)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(V1 + "/7", false));
    }

    @Test
    void onlyAnOrphanAtAReplicasPathWithItsMarkerIsOneTheOperatorWrote() {
        Set<String> listed = Set.of(
                V1 + "/3",
                V1 + "/3.sha256",
                V1 + "/4",
                "team-a/x.img",
                "team-a/x.img.sha256",
                "../up/a/b/c/0",
                "../up/a/b/c/0.sha256",
                V1 + "/3-lun12",
                V1 + "/3-lun12.sha256",
                V1 + "/3-lun99",
                V1 + "/3-lun99.sha256",
                V1 + "/3-lun012",
                V1 + "/3-lun012.sha256",
                V1 + "/03",
                V1 + "/03.sha256");

        assertThat(StoreAudit.writtenByOperator(V1 + "/3", "west", listed))
                .hasValueSatisfying(key -> assertThat(key.objectPath()).isEqualTo(V1 + "/3"));
        assertThat(StoreAudit.writtenByOperator(V1 + "/4", "west", listed))
                .as("no marker")
                .isEmpty();
        assertThat(StoreAudit.writtenByOperator("team-a/x.img", "west", listed))
                .as("no replica's path")
                .isEmpty();
        assertThat(StoreAudit.writtenByOperator("../up/a/b/c/0", "west", listed))
                .as("a climbing path")
                .isEmpty();
        assertThat(StoreAudit.writtenByOperator(V1 + "/3-lun12", "west", listed))
                .hasValueSatisfying(key -> assertThat(key).isEqualTo(new ReplicaKey(key.version(), "west", 3, 12)));
        assertThat(StoreAudit.writtenByOperator(V1 + "/3-lun99", "west", listed))
                .as("a LUN no disk can have")
                .isEmpty();
        assertThat(StoreAudit.writtenByOperator(V1 + "/3-lun012", "west", listed))
                .as("not the name the operator writes for LUN 12")
                .isEmpty();
        assertThat(StoreAudit.writtenByOperator(V1 + "/03", "west", listed))
                .as("not the name the operator writes for replica 3")
                .isEmpty();
    }

    private static ImageVersion withLun3Of400Bytes(ImageVersion version) {
        var disk = new dev.imagegallery.api.ImageVersionSpec.DataDisk();
        disk.lun = 3;
        disk.source = new dev.imagegallery.api.ImageVersionSpec.Source();
        disk.source.sizeBytes = 400L;
        version.getSpec().dataDisks = List.of(disk);
        return version;
    }

    private static StoredObject object(String path, long size) {
        return new StoredObject(path, size);
    }

    private static ImageVersionStatus.Replica replica(int index, String store, RegionState state) {
        var replica = new ImageVersionStatus.Replica();
        replica.index = index;
        replica.store = store;
        replica.state = state;
        return replica;
    }

    private static ImageVersion version(String number, String gallery, ImageVersionStatus.Replica... replicas) {
        ImageVersion version = new ImageVersion();
        version.setMetadata(new ObjectMetaBuilder()
                .withNamespace("team-a")
                .withName("ubuntu-" + number)
                .build());
        version.setSpec(new ImageVersionSpec());
        version.getSpec().imageDefinitionName = "ubuntu";
        version.getSpec().version = number;
        version.setStatus(new ImageVersionStatus());
        version.getStatus().sizeBytes = SIZE;
        version.getStatus().replicationStatus = new ImageVersionStatus.ReplicationStatus();
        version.getStatus().replicationStatus.storagePath = "team-a/" + gallery + "/ubuntu/" + number;
        var region = new ImageVersionStatus.RegionReplication();
        region.region = "west";
        region.replicas = new ArrayList<>(List.of(replicas));
        version.getStatus().replicationStatus.summary = List.of(region);
        return version;
    }
}
