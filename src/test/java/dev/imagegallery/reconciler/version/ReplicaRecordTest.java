package dev.imagegallery.reconciler.version;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegallery.api.ImageVersionStatus;
import dev.imagegallery.replication.ReplicaKey;
import dev.imagegallery.replication.VersionKey;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicaRecordTest {
    private static final VersionKey VERSION = new VersionKey("team", "gallery", "ubuntu", "1.0.0");

    @Test
    void onlyOriginsInTheFormTheOperatorWritesAreKeptFromAStatus() {
        ImageVersionStatus status = Versions.recording("s1", "west", "east", "north");
        status.replicationStatus.summary.get(0).replicas.get(0).copiedFrom = "source";
        status.replicationStatus.summary.get(1).replicas.get(0).copiedFrom = "west/s1/0";
        // As a tenant allowed to edit the status might write it.
        status.replicationStatus.summary.get(2).replicas.get(0).copiedFrom = "https://attacker.example/x";

        assertThat(ReplicaRecord.of(status).copiedFrom(VERSION))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        new ReplicaKey(VERSION, "west", 0), "source", new ReplicaKey(VERSION, "east", 0), "west/s1/0"));
    }
}
