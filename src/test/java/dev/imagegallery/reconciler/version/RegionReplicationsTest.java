package dev.imagegallery.reconciler.version;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegallery.api.ImageVersionStatus.RegionReplication;
import dev.imagegallery.api.ImageVersionStatus.RegionState;
import dev.imagegallery.placement.RegionPlacement;
import dev.imagegallery.placement.Replica;
import dev.imagegallery.replication.FailureReason;
import dev.imagegallery.replication.ReplicaState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegionReplicationsTest {
  private static final RegionPlacement TWO_REPLICAS = new RegionPlacement.Placed("west",
      List.of(new Replica(0, "s1", "1"), new Replica(1, "s2", "2")));

  @Test
  void aRegionIsCompletedOnlyWhenEveryReplicaIs() {
    RegionReplication half = RegionReplications.replicated(TWO_REPLICAS,
        Map.of(0, new ReplicaState.Completed(), 1, new ReplicaState.Copying(25, 100)));
    RegionReplication whole = RegionReplications.replicated(TWO_REPLICAS,
        Map.of(0, new ReplicaState.Completed(), 1, new ReplicaState.Completed()));

    assertThat(half.state).isEqualTo(RegionState.Replicating);
    assertThat(half.progress).isEqualTo(62);
    assertThat(half.details).isEqualTo("1 of 2 replicas copied and verified, on s1, s2");
    assertThat(half.replicas).extracting(r -> r.state, r -> r.progress).containsExactly(
        org.assertj.core.groups.Tuple.tuple(RegionState.Completed, 100), org.assertj.core.groups.Tuple.tuple(RegionState.Replicating, 25));
    assertThat(whole.state).isEqualTo(RegionState.Completed);
    assertThat(whole.progress).isEqualTo(100);
    assertThat(whole.details).isEqualTo("2 replicas copied and verified on s1, s2");
  }

  @Test
  void aRetryingReplicaKeepsTheRegionReplicatingAndSaysWhatFailed() {
    RegionReplication region = RegionReplications.replicated(TWO_REPLICAS,
        Map.of(0, new ReplicaState.Pending(1, "store s1 refused (HTTP 503)"), 1, new ReplicaState.Pending(0, null)));

    assertThat(region.state).isEqualTo(RegionState.Replicating);
    assertThat(region.details).isEqualTo("0 of 2 replicas copied and verified, on s1, s2; replica 0 on store s1 failed 1 times, retrying:"
        + " store s1 refused (HTTP 503)");
  }

  @Test
  void aReplicaThatGaveUpFailsTheRegionNamingItAndHowToRetry() {
    RegionReplication region = RegionReplications.replicated(TWO_REPLICAS, Map.of(0, new ReplicaState.Completed(),
        1, new ReplicaState.Failed(FailureReason.DigestMismatch, "digest is abc, expected def", 5)));

    assertThat(region.state).isEqualTo(RegionState.Failed);
    assertThat(region.details).isEqualTo("replica 1 on store s2 failed after 5 attempts (DigestMismatch): digest is abc, expected def; "
        + RegionReplications.RETRY_HINT);
    assertThat(region.replicas.get(0).state).as("the other replica keeps its state").isEqualTo(RegionState.Completed);
  }

  @Test
  void aFailedPlacementFailsTheRegionWithTheEnginesReasonWhileKeptReplicasShowTheirCopies() {
    RegionPlacement failed = new RegionPlacement.Failed("west", RegionPlacement.Cause.NOT_ENOUGH_CAPACITY, "no room for 2 replicas",
        List.of(new Replica(0, "s1", null)));
    Map<Integer, ReplicaState> states = new HashMap<>();
    states.put(0, new ReplicaState.Completed());

    RegionReplication region = RegionReplications.replicated(failed, states);

    assertThat(region.state).isEqualTo(RegionState.Failed);
    assertThat(region.details).isEqualTo("no room for 2 replicas");
    assertThat(region.replicas).extracting(r -> r.state).containsExactly(RegionState.Completed);
  }
}
