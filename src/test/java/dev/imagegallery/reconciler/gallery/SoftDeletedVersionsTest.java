package dev.imagegallery.reconciler.gallery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegallery.api.DataDiskDigest;
import dev.imagegallery.api.GalleryStatus.SoftDeletedReplica;
import dev.imagegallery.api.GalleryStatus.SoftDeletedVersion;
import dev.imagegallery.reconciler.gallery.SoftDeletedVersions.Live;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SoftDeletedVersionsTest {
    private static final Instant NOW = Instant.parse("2026-12-05T00:00:00Z");

    @Test
    void handedOverVersionsAreRecordedOnceAndExpiredOnesGo() {
        SoftDeletedVersion old = deleted("1.0.0", "2026-12-04T00:00:00Z");
        SoftDeletedVersion current = deleted("1.1.0", "2026-12-06T00:00:00Z");

        SoftDeletedVersions.Plan plan =
                SoftDeletedVersions.plan(List.of(old, current), List.of(current), v -> Live.NONE, NOW);

        assertThat(plan.kept()).containsExactly(current);
        assertThat(plan.expired()).containsExactly(old);
        assertThat(plan.nextExpiry(NOW)).contains(Instant.parse("2026-12-06T00:00:00Z"));
        assertThat(plan.waiting()).isFalse();
    }

    @Test
    void aLiveVersionOfTheNumberTakesTheRecordOnceItHoldsReplicasAndKeepsItPastItsTimeUntilThen() {
        SoftDeletedVersion restoring = deleted("1.0.0", "2026-12-04T00:00:00Z");
        SoftDeletedVersion restored = deleted("1.1.0", "2026-12-06T00:00:00Z");
        Map<String, Live> live = Map.of("1.0.0", Live.WAITING, "1.1.0", Live.HOLDING);

        SoftDeletedVersions.Plan plan =
                SoftDeletedVersions.plan(List.of(restoring, restored), List.of(), v -> live.get(v.version), NOW);

        assertThat(plan.kept()).containsExactly(restoring);
        assertThat(plan.expired()).isEmpty();
        assertThat(plan.waiting()).isTrue();
    }

    @Test
    void aRecordEditedIntoAShapeTheOperatorNeverWritesIsDropped() {
        SoftDeletedVersion noReplicas = deleted("1.0.0", "2026-12-06T00:00:00Z");
        noReplicas.replicas = null;
        SoftDeletedVersion badTime = deleted("1.1.0", "tomorrow");

        SoftDeletedVersion negativeSize = deleted("1.2.0", "2026-12-06T00:00:00Z");
        negativeSize.sizeBytes = -1L;
        SoftDeletedVersion climbingRegion = deleted("1.3.0", "2026-12-06T00:00:00Z");
        climbingRegion.replicas.get(0).region = "../west";
        SoftDeletedVersion negativeIndex = deleted("1.4.0", "2026-12-06T00:00:00Z");
        negativeIndex.replicas.get(0).index = -1;
        SoftDeletedVersion lunBeyond63 = deleted("1.5.0", "2026-12-06T00:00:00Z");
        DataDiskDigest disk = new DataDiskDigest();
        disk.lun = 64;
        disk.sha256 = "cd".repeat(32);
        disk.sizeBytes = 10L;
        lunBeyond63.dataDisks = List.of(disk);
        // In a registry, 1.0.0-lun0 is the tag of version 1.0.0's LUN 0.
        SoftDeletedVersion anotherVersionsDisk = deleted("1.0.0-lun0", "2026-12-06T00:00:00Z");

        assertThat(SoftDeletedVersions.plan(
                                List.of(noReplicas, badTime, negativeSize, lunBeyond63, anotherVersionsDisk),
                                // Hand-overs are built from a version's status, which its tenant may edit as well.
                                List.of(climbingRegion, negativeIndex),
                                v -> Live.NONE,
                                NOW)
                        .kept())
                .isEmpty();
    }

    @Test
    void aRecordKeptPastItsTimeForALiveVersionDoesNotSetTheNextExpiry() {
        SoftDeletedVersion past = deleted("1.0.0", "2026-12-04T00:00:00Z");
        SoftDeletedVersion later = deleted("1.1.0", "2026-12-07T00:00:00Z");

        SoftDeletedVersions.Plan plan = SoftDeletedVersions.plan(
                List.of(past, later), List.of(), v -> v == past ? Live.WAITING : Live.NONE, NOW);

        assertThat(plan.kept()).containsExactly(past, later);
        assertThat(plan.nextExpiry(NOW)).contains(Instant.parse("2026-12-07T00:00:00Z"));
    }

    private static SoftDeletedVersion deleted(String version, String expiresAt) {
        SoftDeletedVersion deleted = new SoftDeletedVersion();
        deleted.imageDefinition = "ubuntu";
        deleted.version = version;
        deleted.name = "ubuntu-" + version;
        deleted.sha256 = "ab".repeat(32);
        deleted.sizeBytes = 4096L;
        deleted.deletedAt = "2026-12-01T00:00:00Z";
        deleted.expiresAt = expiresAt;
        SoftDeletedReplica replica = new SoftDeletedReplica();
        replica.region = "west";
        replica.index = 0;
        replica.store = "s";
        deleted.replicas = new java.util.ArrayList<>(List.of(replica));
        return deleted;
    }
}
