package dev.imagegallery.reconciler.version;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegallery.api.ImageVersionStatus;
import dev.imagegallery.api.ImageVersionStatus.AggregatedState;
import dev.imagegallery.api.ImageVersionStatus.RegionReplication;
import dev.imagegallery.api.ImageVersionStatus.RegionState;
import dev.imagegallery.api.ImageVersionStatus.ReplicaRemoval;
import dev.imagegallery.reconciler.version.ImageVersionStatusCalculator.Findings;
import dev.imagegallery.status.Conditions;
import dev.imagegallery.status.Messages;
import dev.imagegallery.status.Outcome;
import dev.imagegallery.status.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ImageVersionStatusCalculatorTest {
    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

    @Test
    void readyOnlyWhenEveryRegionIsCompleted() {
        ImageVersionStatus partly = calculate(
                Optional.empty(),
                region("west", RegionState.Completed, "done"),
                region("east", RegionState.Replicating, "40% copied"));
        ImageVersionStatus fully = calculate(
                Optional.empty(),
                region("west", RegionState.Completed, "done"),
                region("east", RegionState.Completed, "done"));

        assertThat(partly.replicationStatus.aggregatedState).isEqualTo(AggregatedState.InProgress);
        assertThat(partly.replicationStatus.regions).isEqualTo("1/2");
        assertThat(Conditions.find(partly.conditions, "Ready").status.name()).isEqualTo("False");
        assertThat(Conditions.find(partly.conditions, "Reconciling").message)
                .isEqualTo("1 of 2 target regions completed; east: 40% copied");
        assertThat(fully.replicationStatus.aggregatedState).isEqualTo(AggregatedState.Completed);
        assertThat(Conditions.find(fully.conditions, "Ready").reason).isEqualTo("Replicated");
    }

    @Test
    void aFailedRegionStallsTheVersionAndNamesTheRegionWhileOthersKeepTheirState() {
        ImageVersionStatus status = calculate(
                Optional.empty(),
                region("west", RegionState.Completed, "done"),
                region("east", RegionState.Failed, "store-1 refused the write (HTTP 403)"));

        assertThat(status.replicationStatus.aggregatedState).isEqualTo(AggregatedState.Failed);
        assertThat(status.replicationStatus.summary.get(0).state).isEqualTo(RegionState.Completed);
        var stalled = Conditions.find(status.conditions, "Stalled");
        assertThat(stalled.reason).isEqualTo("RegionFailed");
        assertThat(stalled.message).startsWith("east: store-1 refused the write (HTTP 403)");
    }

    @Test
    void manyFailedRegionsAreCountedAndAFewNamedInABoundedMessage() {
        RegionReplication[] regions = IntStream.range(0, 100)
                .mapToObj(i -> region("r" + i, RegionState.Failed, "100 of 100 replicas failed: " + "x".repeat(1000)))
                .toArray(RegionReplication[]::new);

        ImageVersionStatus status = calculate(Optional.empty(), regions);

        var stalled = Conditions.find(status.conditions, "Stalled");
        assertThat(stalled.message)
                .startsWith(
                        "100 of 100 target regions failed: r0, r1, r2 and 97 more; r0: 100 of 100 replicas failed: xxx")
                .endsWith(Messages.TRUNCATED);
        assertThat(stalled.message.getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(Messages.MAX_BYTES);
    }

    @Test
    void manyRegionsStillReplicatingAreCountedAndAFewNamed() {
        RegionReplication[] regions = IntStream.range(0, 10)
                .mapToObj(i -> region("r" + i, i < 2 ? RegionState.Completed : RegionState.Replicating, "copying"))
                .toArray(RegionReplication[]::new);

        ImageVersionStatus status = calculate(Optional.empty(), regions);

        assertThat(Conditions.find(status.conditions, "Reconciling").message)
                .isEqualTo(
                        "2 of 10 target regions completed; waiting for r2, r3, r4 and 5 more; r2: copying; r3: copying; r4: copying");
    }

    @Test
    void aProblemWinsOverReplicationAndNothingUnknownLooksDone() {
        ImageVersionStatus status = calculate(
                Optional.of(Outcome.stalled(Reason.RegionRestricted, "no")),
                region("west", RegionState.Unknown, "not replicated"));

        assertThat(status.replicationStatus.aggregatedState).isEqualTo(AggregatedState.Unknown);
        assertThat(Conditions.find(status.conditions, "Stalled").reason).isEqualTo("RegionRestricted");
    }

    @Test
    void aFailedDeletionOfADroppedReplicaKeepsTheVersionReconcilingAndOnRecord() {
        ReplicaRemoval removal = new ReplicaRemoval();
        removal.region = "east";
        removal.index = 0;
        removal.store = "store-1";
        removal.details = "store unreachable";
        ImageVersionStatus status = ImageVersionStatusCalculator.calculate(
                null,
                1,
                new Findings(
                        Optional.empty(),
                        List.of(region("west", RegionState.Completed, "done")),
                        10L,
                        "ns/gallery/definition/1.0.0",
                        List.of(removal),
                        Optional.of(Outcome.inProgress(
                                Reason.ReplicaDeletionFailed, "deleting replica 0 of region east failed")),
                        null),
                NOW);

        assertThat(status.replicationStatus.pendingRemovals)
                .extracting(r -> r.store)
                .containsExactly("store-1");
        assertThat(status.replicationStatus.storagePath).isEqualTo("ns/gallery/definition/1.0.0");
        assertThat(Conditions.find(status.conditions, "Ready").status.name()).isEqualTo("False");
        assertThat(Conditions.find(status.conditions, "Reconciling").reason).isEqualTo("ReplicaDeletionFailed");
    }

    @Test
    void endOfLifeConditionFollowsTheDate() {
        ImageVersionStatus before = ImageVersionStatusCalculator.calculate(
                null, 1, findings(Optional.empty(), "2026-11-29", region("west", RegionState.Completed, "done")), NOW);
        ImageVersionStatus after = ImageVersionStatusCalculator.calculate(
                before,
                1,
                findings(Optional.empty(), "2026-11-29", region("west", RegionState.Completed, "done")),
                NOW.plusSeconds(86400));

        assertThat(Conditions.find(before.conditions, "EndOfLife").status.name())
                .isEqualTo("False");
        assertThat(Conditions.find(after.conditions, "EndOfLife").status.name()).isEqualTo("True");
        assertThat(Conditions.find(after.conditions, "Ready").lastTransitionTime)
                .isEqualTo("2026-11-28T10:00:00Z");
    }

    @Test
    void theLargestLegalVersionFailingEverywhereWithTheLongestNamesStaysWithin256KiB() throws Exception {
        String longName = "x".repeat(63);
        RegionReplication[] regions = largestVersion(
                r -> region(longName.substring(3) + String.format("%03d", r), RegionState.Failed, "f".repeat(1024)),
                (r, i) -> {
                    ImageVersionStatus.Replica replica = new ImageVersionStatus.Replica();
                    replica.index = i;
                    replica.store = longName;
                    replica.zone = longName;
                    replica.state = RegionState.Failed;
                    replica.progress = 0;
                    return replica;
                });

        ImageVersionStatus status = calculate(Optional.empty(), regions);

        int bytes = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(status).length;
        System.out.printf(
                "status of 100 regions x 10 replicas, every name 63 characters, all failed: %d bytes%n", bytes);
        assertThat(bytes).isLessThan(256 * 1024);
    }

    @Test
    void theLargestLegalVersionCompletedEverywhereOnStoresWithTwoKibEndpointsKeepsAnAddressPerRegionWithin512KiB()
            throws Exception {
        String endpoint = "https://dav.example.com/" + "e".repeat(2048 - 24);
        RegionReplication[] regions =
                largestVersion(r -> region("region-" + r, RegionState.Completed, "done"), (r, i) -> {
                    ImageVersionStatus.Replica replica = new ImageVersionStatus.Replica();
                    replica.index = i;
                    replica.store = "store-" + i;
                    replica.state = RegionState.Completed;
                    replica.progress = 100;
                    replica.url = endpoint + "/team/gallery/ubuntu/1.0.0/" + i;
                    replica.copiedFrom = "region-0/store-0/0";
                    return replica;
                });

        ImageVersionStatus status = calculate(Optional.empty(), regions);

        int bytes = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(status).length;
        System.out.printf("status of 100 regions x 10 replicas, endpoints of 2 KiB, all completed: %d bytes%n", bytes);
        assertThat(bytes).isLessThan(512 * 1024);
        assertThat(status.replicationStatus.summary)
                .allSatisfy(region -> assertThat(region.replicas)
                        .extracting(r -> r.url)
                        .filteredOn(java.util.Objects::nonNull)
                        .containsExactly(endpoint + "/team/gallery/ubuntu/1.0.0/0"));
    }

    @Test
    void theMostDiskCopiesAVersionMayHaveOnStoresWithTwoKibEndpointsStayWithin512KiB() throws Exception {
        String endpoint = "https://dav.example.com/" + "e".repeat(2048 - 24);
        // 100 regions of one replica with 39 data disks: 4,000 disk copies, the most admission takes.
        RegionReplication[] regions = IntStream.range(0, 100)
                .mapToObj(r -> {
                    RegionReplication region = region("region-" + r, RegionState.Completed, "done");
                    ImageVersionStatus.Replica replica = new ImageVersionStatus.Replica();
                    replica.index = 0;
                    replica.store = "store-0";
                    replica.state = RegionState.Completed;
                    replica.progress = 100;
                    replica.url = endpoint + "/team/gallery/ubuntu/1.0.0/0";
                    replica.dataDisks = IntStream.range(0, 39)
                            .mapToObj(lun -> {
                                ImageVersionStatus.DataDiskReplica disk = new ImageVersionStatus.DataDiskReplica();
                                disk.lun = lun;
                                disk.state = RegionState.Completed;
                                disk.progress = 100;
                                disk.url = replica.url + "-lun" + lun;
                                return disk;
                            })
                            .toList();
                    region.replicas = List.of(replica);
                    return region;
                })
                .toArray(RegionReplication[]::new);

        ImageVersionStatus status = calculate(Optional.empty(), regions);

        int bytes = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(status).length;
        System.out.printf(
                "status of 100 regions x 1 replica x 40 disks, endpoints of 2 KiB, all completed: %d bytes%n", bytes);
        assertThat(bytes).isLessThan(512 * 1024);
        assertThat(status.replicationStatus.summary)
                .allSatisfy(region -> assertThat(region.replicas.get(0).url).isNotNull());
    }

    /** 100 regions of 10 replicas each, the most a version may have. */
    private static RegionReplication[] largestVersion(
            java.util.function.IntFunction<RegionReplication> region,
            java.util.function.BiFunction<Integer, Integer, ImageVersionStatus.Replica> replica) {
        return IntStream.range(0, 100)
                .mapToObj(r -> {
                    RegionReplication entry = region.apply(r);
                    entry.replicas = IntStream.range(0, 10)
                            .mapToObj(i -> replica.apply(r, i))
                            .toList();
                    return entry;
                })
                .toArray(RegionReplication[]::new);
    }

    private static ImageVersionStatus calculate(Optional<Outcome> problem, RegionReplication... regions) {
        return ImageVersionStatusCalculator.calculate(null, 1, findings(problem, null, regions), NOW);
    }

    private static Findings findings(Optional<Outcome> problem, String endOfLifeDate, RegionReplication... regions) {
        return new Findings(
                problem, List.of(regions), 10L, "ns/gallery/definition/1.0.0", null, Optional.empty(), endOfLifeDate);
    }

    private static RegionReplication region(String name, RegionState state, String details) {
        RegionReplication region = new RegionReplication();
        region.region = name;
        region.state = state;
        region.details = details;
        return region;
    }
}
