package dev.imagegallery.reconciler.version;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegallery.api.ImageVersionStatus.RegionReplication;
import dev.imagegallery.api.ImageVersionStatus.RegionState;
import dev.imagegallery.placement.PlacedReplica;
import dev.imagegallery.placement.RegionPlacement;
import dev.imagegallery.replication.CopyState;
import dev.imagegallery.replication.FailureReason;
import dev.imagegallery.status.Messages;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RegionStatusesTest {
    private static final CopyState DONE = new CopyState.Completed("team/main/ubuntu/1.0.0/0");
    private static final RegionPlacement TWO_REPLICAS = new RegionPlacement.Placed(
            "west", List.of(new PlacedReplica(0, "s1", "1"), new PlacedReplica(1, "s2", "2")));
    private static final RegionPlacement ONE_REPLICA =
            new RegionPlacement.Placed("west", List.of(new PlacedReplica(0, "s1", "1")));

    @Test
    void aRegionIsCompletedOnlyWhenEveryReplicaIs() {
        RegionReplication half = replicated(TWO_REPLICAS, Map.of(0, DONE, 1, new CopyState.Copying(25, 100)));
        RegionReplication whole = replicated(TWO_REPLICAS, Map.of(0, DONE, 1, DONE));

        assertThat(half.state).isEqualTo(RegionState.Replicating);
        assertThat(half.progress).isEqualTo(62);
        assertThat(half.details).isEqualTo("1 of 2 replicas copied and verified, on s1, s2");
        assertThat(half.replicas)
                .extracting(r -> r.state, r -> r.progress)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(RegionState.Completed, 100),
                        org.assertj.core.groups.Tuple.tuple(RegionState.Replicating, 25));
        assertThat(whole.state).isEqualTo(RegionState.Completed);
        assertThat(whole.progress).isEqualTo(100);
        assertThat(whole.details).isEqualTo("2 replicas copied and verified on s1, s2");
    }

    @Test
    void aCompleteReplicaShowsItsAddressAndOriginAndAWaitingOneWhatItWaitsFor() {
        RegionReplication region = RegionStatuses.replicated(
                TWO_REPLICAS,
                Map.of(
                        0,
                        osOnly(new ReplicaCopy(DONE, "source", "https://cdn.example/team/main/ubuntu/1.0.0/0")),
                        1,
                        osOnly(new ReplicaCopy(new CopyState.Waiting("waiting for replica 0"), null, null))));

        assertThat(region.replicas)
                .extracting(r -> r.url, r -> r.copiedFrom, r -> r.state)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "https://cdn.example/team/main/ubuntu/1.0.0/0", "source", RegionState.Completed),
                        org.assertj.core.groups.Tuple.tuple(null, null, RegionState.Replicating));
        assertThat(region.details)
                .isEqualTo("1 of 2 replicas copied and verified, on s1, s2; 1 waiting, first: replica 1 is waiting for"
                        + " replica 0");
    }

    @Test
    void aRetryingReplicaKeepsTheRegionReplicatingAndSaysWhatFailed() {
        RegionReplication region = replicated(
                TWO_REPLICAS,
                Map.of(
                        0,
                        new CopyState.Pending(1, FailureReason.StoreUnavailable, "store s1 refused (HTTP 503)"),
                        1,
                        CopyState.Pending.FRESH));

        assertThat(region.state).isEqualTo(RegionState.Replicating);
        assertThat(region.details)
                .isEqualTo("0 of 2 replicas copied and verified, on s1, s2; 1 retrying: StoreUnavailable ×1; first:"
                        + " replica 0 on store s1 failed 1 times, retrying: store s1 refused (HTTP 503)");
    }

    @Test
    void aReplicaThatGaveUpFailsTheRegionNamingItAndHowToRetry() {
        RegionReplication region = replicated(
                TWO_REPLICAS,
                Map.of(
                        0,
                        DONE,
                        1,
                        new CopyState.Failed(FailureReason.DigestMismatch, "digest is abc, expected def", 5)));

        assertThat(region.state).isEqualTo(RegionState.Failed);
        assertThat(region.details)
                .isEqualTo(
                        "1 of 2 replicas failed: DigestMismatch ×1; first: replica 1 on store s2 failed after 5 attempts:"
                                + " digest is abc, expected def; " + RegionStatuses.RETRY_HINT);
        assertThat(region.replicas.get(0).state)
                .as("the other replica keeps its state")
                .isEqualTo(RegionState.Completed);
    }

    @Test
    void manyFailuresAreCountedByReasonWithTheFirstAsExampleWithinOneKib() {
        RegionPlacement hundred = new RegionPlacement.Placed(
                "west",
                IntStream.range(0, 100)
                        .mapToObj(i -> new PlacedReplica(i, "s" + i % 4, null))
                        .toList());
        String url = "file:///" + "d".repeat(2048);
        Map<Integer, CopyState> states = new HashMap<>();
        IntStream.range(0, 100)
                .forEach(i -> states.put(
                        i,
                        i % 25 == 3
                                ? new CopyState.Failed(
                                        FailureReason.StoreUnavailable, "store s" + i % 4 + " refused the write", 2)
                                : new CopyState.Failed(
                                        FailureReason.DigestMismatch,
                                        "digest mismatch for " + url + ": expected sha256 " + "0".repeat(64),
                                        2)));

        RegionReplication region = replicated(hundred, states);

        assertThat(region.state).isEqualTo(RegionState.Failed);
        assertThat(region.details)
                .startsWith(
                        "100 of 100 replicas failed: StoreUnavailable ×4, DigestMismatch ×96; first: replica 0 on store s0"
                                + " failed after 2 attempts: digest mismatch for file:///ddd")
                .endsWith(Messages.TRUNCATED + "; " + RegionStatuses.RETRY_HINT);
        assertThat(region.details.getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(Messages.MAX_BYTES);
        assertThat(region.replicas).hasSize(100).allMatch(r -> r.state == RegionState.Failed);
    }

    @Test
    void aRegionOfManyStoresNamesAFew() {
        RegionPlacement spread = new RegionPlacement.Placed(
                "west",
                IntStream.range(0, 10)
                        .mapToObj(i -> new PlacedReplica(i, "store-" + i, null))
                        .toList());
        Map<Integer, CopyState> states = new HashMap<>();
        IntStream.range(0, 10).forEach(i -> states.put(i, DONE));

        assertThat(replicated(spread, states).details)
                .isEqualTo("10 replicas copied and verified on store-0, store-1, store-2 and 7 more");
    }

    @Test
    void aFailedPlacementFailsTheRegionWithTheEnginesReasonWhileKeptReplicasShowTheirCopies() {
        RegionPlacement failed = new RegionPlacement.Failed(
                "west",
                RegionPlacement.Cause.NOT_ENOUGH_CAPACITY,
                "no room for 2 replicas",
                List.of(new PlacedReplica(0, "s1", null)));
        Map<Integer, CopyState> states = new HashMap<>();
        states.put(0, DONE);

        RegionReplication region = replicated(failed, states);

        assertThat(region.state).isEqualTo(RegionState.Failed);
        assertThat(region.details).isEqualTo("no room for 2 replicas");
        assertThat(region.replicas).extracting(r -> r.state).containsExactly(RegionState.Completed);
    }

    /** The region's status when each replica's copy is in {@code states}, copied from the source. */
    private static RegionReplication replicated(RegionPlacement placement, Map<Integer, CopyState> states) {
        Map<Integer, ReplicaDisks> copies = new HashMap<>();
        states.forEach((index, state) -> copies.put(
                index,
                osOnly(new ReplicaCopy(
                        state,
                        "source",
                        state instanceof CopyState.Completed done ? "file:///stores/s/" + done.location() : null))));
        return RegionStatuses.replicated(placement, copies);
    }

    private static ReplicaDisks osOnly(ReplicaCopy copy) {
        return new ReplicaDisks(copy, new java.util.TreeMap<>());
    }

    @Test
    void aReplicaStandsWhereItsLeastAdvancedDiskDoesAndAFailedDataDiskIsNamedByItsLun() {
        ReplicaCopy os = new ReplicaCopy(DONE, "source", "file:///stores/s/0");
        var failing = new java.util.TreeMap<Integer, ReplicaCopy>(Map.of(
                2, new ReplicaCopy(DONE, "source", "file:///stores/s/0-lun2"),
                7,
                        new ReplicaCopy(
                                new CopyState.Failed(
                                        dev.imagegallery.replication.FailureReason.DigestMismatch,
                                        "the digest differs",
                                        1),
                                "source",
                                null)));

        RegionReplication region =
                RegionStatuses.replicated(TWO_REPLICAS, Map.of(0, new ReplicaDisks(os, failing), 1, osOnly(os)));

        assertThat(region.state).isEqualTo(RegionState.Failed);
        assertThat(region.details).contains("replica 0 on store", "data disk LUN 7: the digest differs");
        assertThat(region.replicas.get(0).dataDisks)
                .extracting(d -> d.lun + "=" + d.state)
                .containsExactly("2=Completed", "7=Failed");
        assertThat(region.replicas.get(1).state).isEqualTo(RegionState.Completed);
        assertThat(region.replicas.get(0).url).as("a failed replica's").isNull();
    }

    @Test
    void aReplicasProgressIsItsLeastAdvancedDisks() {
        ReplicaCopy osCopying = new ReplicaCopy(new CopyState.Copying(90, 100), "source", null);
        var lun3Copying = new java.util.TreeMap<Integer, ReplicaCopy>(
                Map.of(3, new ReplicaCopy(new CopyState.Copying(30, 100), "source", null)));
        var lun3Done = new java.util.TreeMap<Integer, ReplicaCopy>(
                Map.of(3, new ReplicaCopy(DONE, "source", "file:///stores/s/0-lun3")));

        RegionReplication bothCopying =
                RegionStatuses.replicated(ONE_REPLICA, Map.of(0, new ReplicaDisks(osCopying, lun3Copying)));
        RegionReplication osBehind =
                RegionStatuses.replicated(ONE_REPLICA, Map.of(0, new ReplicaDisks(osCopying, lun3Done)));

        assertThat(bothCopying.replicas.get(0).progress).isEqualTo(30);
        assertThat(osBehind.replicas.get(0).progress).isEqualTo(90);
    }
}
