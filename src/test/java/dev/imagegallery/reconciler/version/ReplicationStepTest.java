package dev.imagegallery.reconciler.version;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegallery.placement.PlacedReplica;
import dev.imagegallery.placement.RegionPlacement;
import dev.imagegallery.replication.CopyState;
import dev.imagegallery.replication.ReplicaKey;
import dev.imagegallery.replication.VersionKey;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicationStepTest {
    private static final VersionKey VERSION = new VersionKey("team-a", "main", "ubuntu", "1.0.0");
    private static final RegionPlacement WEST =
            new RegionPlacement.Placed("west", List.of(new PlacedReplica(0, "s", null)));
    private static final ReplicaCopy COMPLETED =
            new ReplicaCopy(new CopyState.Completed("team-a/main/ubuntu/1.0.0/0"), "source", null);
    private static final ReplicaCopy COPYING = new ReplicaCopy(new CopyState.Copying(10, 100), "source", null);

    @Test
    void aReplicaIsVerifiedForMakeBeforeBreakOnlyOnceEveryOneOfItsDisksIs() {
        ReplicaKey os = new ReplicaKey(VERSION, "west", 0);

        assertThat(ReplicationStep.verified(VERSION, List.of(7), WEST, Map.of(os, COMPLETED, os.dataDisk(7), COPYING)))
                .as("its data disk still copying")
                .isFalse();
        assertThat(ReplicationStep.verified(VERSION, List.of(7), WEST, Map.of(os, COMPLETED)))
                .as("its data disk not known")
                .isFalse();
        assertThat(ReplicationStep.verified(
                        VERSION, List.of(7), WEST, Map.of(os, COMPLETED, os.dataDisk(7), COMPLETED)))
                .isTrue();
        assertThat(ReplicationStep.verified(VERSION, List.of(), WEST, Map.of(os, COMPLETED)))
                .as("a version without data disks")
                .isTrue();
    }
}
