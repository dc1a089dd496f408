package dev.imagegallery.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.api.ImageVersionStatus;
import dev.imagegallery.api.ImageVersionStatus.AggregatedState;
import dev.imagegallery.api.ImageVersionStatus.RegionReplication;
import dev.imagegallery.api.ImageVersionStatus.RegionState;
import dev.imagegallery.api.ImageVersionStatus.Replica;
import dev.imagegallery.status.Conditions;
import dev.imagegallery.status.EndOfLifeCondition;
import dev.imagegallery.status.Reason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class VersionCountsTest {
    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

    @Test
    void countsVersionsRegionsAndReplicasByStateWithEveryStatePresent() {
        ImageVersion replicating = version(
                AggregatedState.InProgress,
                region(RegionState.Completed, RegionState.Completed, RegionState.Completed),
                region(RegionState.Replicating, RegionState.Completed, RegionState.Replicating));
        ImageVersion failed = version(AggregatedState.Failed, region(RegionState.Failed));

        VersionCounts counts = VersionCounts.of(Stream.of(replicating, failed));

        assertThat(counts.versions())
                .isEqualTo(Map.of(
                        AggregatedState.Unknown,
                        0L,
                        AggregatedState.InProgress,
                        1L,
                        AggregatedState.Completed,
                        0L,
                        AggregatedState.Failed,
                        1L));
        assertThat(counts.regions())
                .isEqualTo(Map.of(
                        RegionState.Unknown,
                        0L,
                        RegionState.Replicating,
                        1L,
                        RegionState.Completed,
                        1L,
                        RegionState.Failed,
                        1L));
        assertThat(counts.replicas())
                .isEqualTo(Map.of(
                        RegionState.Unknown,
                        0L,
                        RegionState.Replicating,
                        1L,
                        RegionState.Completed,
                        3L,
                        RegionState.Failed,
                        0L));
    }

    @Test
    void aVersionTheOperatorHasNotLookedAtYetIsUnknown() {
        VersionCounts counts = VersionCounts.of(Stream.of(new ImageVersion()));

        assertThat(counts.versions().get(AggregatedState.Unknown)).isEqualTo(1);
        assertThat(counts.endOfLife()).isZero();
    }

    @Test
    void countsOnlyVersionsWhoseEndOfLifeHasPassed() {
        ImageVersion past = endOfLife("2026-11-01");
        ImageVersion future = endOfLife("2027-12-31");

        assertThat(VersionCounts.of(Stream.of(past, future, new ImageVersion())).endOfLife())
                .isEqualTo(1);
    }

    private static ImageVersion endOfLife(String date) {
        ImageVersion version = version(AggregatedState.Completed);
        version.getStatus().conditions = new ArrayList<>();
        EndOfLifeCondition.apply(version.getStatus().conditions, date, 1, NOW);
        return version;
    }

    private static ImageVersion version(AggregatedState state, RegionReplication... regions) {
        ImageVersionStatus status = new ImageVersionStatus();
        status.replicationStatus = new ImageVersionStatus.ReplicationStatus();
        status.replicationStatus.aggregatedState = state;
        status.replicationStatus.summary = List.of(regions);
        status.conditions = List.of(Conditions.condition("Ready", false, Reason.Replicating, "", 1));
        ImageVersion version = new ImageVersion();
        version.setStatus(status);
        return version;
    }

    /** A region in {@code state} with replicas in {@code replicaStates}. */
    private static RegionReplication region(RegionState state, RegionState... replicaStates) {
        RegionReplication region = new RegionReplication();
        region.state = state;
        region.replicas = Arrays.stream(replicaStates)
                .map(s -> {
                    Replica replica = new Replica();
                    replica.state = s;
                    return replica;
                })
                .toList();
        return region;
    }
}
