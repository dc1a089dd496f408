package dev.imagegallery.reconciler.version;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegallery.api.GallerySpec.SoftDelete;
import dev.imagegallery.api.GalleryStatus.SoftDeletedVersion;
import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.placement.PlacedReplica;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SoftDeletionTest {
    private static final SoftDelete TWO_DAYS = policy(2);

    @Test
    void keepsOnlyTheVerifiedReplicasAndTimesTheWindowFromTheDeletion() {
        ImageVersion version = deleting("2026-12-01T10:00:00Z");
        ReplicaRecord record = new ReplicaRecord(
                Map.of("west", List.of(replica(0, "a"), replica(1, "b"))),
                Map.of("west", List.of(replica(1, "b"))),
                null,
                4096,
                Map.of());

        SoftDeletedVersion deleted =
                SoftDeletion.of(version, record, TWO_DAYS, Duration.ofDays(1)).orElseThrow();

        assertThat(deleted.replicas).singleElement().satisfies(r -> {
            assertThat(r.region).isEqualTo("west");
            assertThat(r.index).isEqualTo(1);
            assertThat(r.store).isEqualTo("b");
        });
        assertThat(deleted.deletedAt).isEqualTo("2026-12-01T10:00:00Z");
        assertThat(deleted.expiresAt).isEqualTo("2026-12-03T10:00:00Z");
        assertThat(deleted.sha256).isEqualTo(version.getSpec().source.sha256);
        assertThat(deleted.sizeBytes).isEqualTo(4096L);
    }

    @Test
    void aRecordKeepsTheDataDisksByLunAndCountsThemInAReplicasBytes() {
        ImageVersion version = deleting("2026-12-01T10:00:00Z");
        version.getSpec().dataDisks = List.of(Versions.dataDisk(7, 100), Versions.dataDisk(2, 50));
        ReplicaRecord record = new ReplicaRecord(
                Map.of("west", List.of(replica(0, "a"))),
                Map.of("west", List.of(replica(0, "a"))),
                null,
                4096,
                Map.of());

        SoftDeletedVersion deleted =
                SoftDeletion.of(version, record, TWO_DAYS, Duration.ofDays(1)).orElseThrow();

        assertThat(deleted.dataDisks)
                .extracting(d -> d.lun + ":" + d.sizeBytes + ":" + d.sha256.substring(0, 2))
                .containsExactly("2:50:" + Versions.SHA256.substring(0, 2), "7:100:" + Versions.SHA256.substring(0, 2));
        assertThat(SoftDeletion.luns(deleted)).containsExactly(2, 7);
        assertThat(SoftDeletion.replicaBytes(deleted)).isEqualTo(4096L + 150);
        assertThat(SoftDeletion.restored(deleted).sizeBytes())
                .as("the OS disk's, as a status shows it")
                .isEqualTo(4096L);
    }

    @Test
    void aVersionWithoutAVerifiedReplicaIsNotSoftDeleted() {
        ReplicaRecord copying =
                new ReplicaRecord(Map.of("west", List.of(replica(0, "a"))), Map.of(), null, 4096, Map.of());

        assertThat(SoftDeletion.of(deleting("2026-12-01T10:00:00Z"), copying, TWO_DAYS, Duration.ofDays(1)))
                .isEmpty();
    }

    @Test
    void aRestoredVersionStartsFromTheRecordsReplicasAsVerified() {
        ReplicaRecord record = new ReplicaRecord(
                Map.of("west", List.of(replica(0, "a")), "east", List.of(replica(0, "c"), replica(1, "d"))),
                Map.of("west", List.of(replica(0, "a")), "east", List.of(replica(0, "c"), replica(1, "d"))),
                null,
                4096,
                Map.of());
        SoftDeletedVersion deleted = SoftDeletion.of(
                        deleting("2026-12-01T10:00:00Z"), record, TWO_DAYS, Duration.ofDays(1))
                .orElseThrow();

        ReplicaRecord restored = SoftDeletion.restored(deleted);

        assertThat(restored.verified()).isEqualTo(restored.placed());
        assertThat(restored.placed().get("east"))
                .extracting(PlacedReplica::index, PlacedReplica::store)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(0, "c"), org.assertj.core.groups.Tuple.tuple(1, "d"));
        assertThat(restored.sizeBytes()).isEqualTo(4096L);
    }

    private static ImageVersion deleting(String at) {
        ImageVersion version = Versions.version("ubuntu-1", "2026-11-01T00:00:00Z", "west", "east");
        version.getMetadata().setDeletionTimestamp(at);
        return version;
    }

    private static PlacedReplica replica(int index, String store) {
        return new PlacedReplica(index, store, null);
    }

    private static SoftDelete policy(int days) {
        SoftDelete policy = new SoftDelete();
        policy.enabled = true;
        policy.retentionDays = days;
        return policy;
    }
}
