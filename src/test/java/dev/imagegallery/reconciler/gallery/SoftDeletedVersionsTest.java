package dev.imagegallery.reconciler.gallery;

import static org.assertj.core.api.Assertions.assertThat;

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
        assertThat(plan.nextExpiry()).contains(Instant.parse("2026-12-06T00:00:00Z"));
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

        assertThat(SoftDeletedVersions.plan(List.of(noReplicas, badTime), List.of(), v -> Live.NONE, NOW)
                        .kept())
                .isEmpty();
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
        deleted.replicas = List.of(replica);
        return deleted;
    }
}
