package dev.imagegallery.reconciler.version;

import dev.imagegallery.api.ImageVersionStatus.DataDiskReplica;
import dev.imagegallery.api.ImageVersionStatus.RegionReplication;
import dev.imagegallery.api.ImageVersionStatus.RegionState;
import dev.imagegallery.api.ImageVersionStatus.Replica;
import dev.imagegallery.placement.PlacedReplica;
import dev.imagegallery.placement.RegionPlacement;
import dev.imagegallery.replication.CopyState;
import dev.imagegallery.replication.FailureReason;
import dev.imagegallery.status.Messages;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Builds a region's entry of the version status, for the {@link ImageVersionStatusCalculator}. Pure. */
final class RegionStatuses {
    static final String RETRY_HINT = "fix the cause, then annotate the version with "
            + ReplicationService.RETRY_ANNOTATION + "=<any new value> to retry";
    /** A region may have 64 stores: its details name a few. */
    private static final int STORES_NAMED = 3;

    private RegionStatuses() {}

    /**
     * The region as its copies stand: Completed when every replica is copied and verified, Failed when
     * a replica gave up (or the placement failed), Replicating otherwise. Failures and retries are
     * summarised (how many for each reason, and the first), so that the details stay short for 100
     * replicas as for one.
     *
     * @param disks the copies of each replica's disks, by index; a replica stands where its least advanced disk does
     */
    static RegionReplication replicated(RegionPlacement placement, Map<Integer, ReplicaDisks> disks) {
        Map<Integer, ReplicaCopy> copies = new HashMap<>();
        disks.forEach((index, replica) -> copies.put(index, replica.combined()));
        Map<Integer, CopyState> states = new HashMap<>();
        copies.forEach((index, copy) -> states.put(index, copy.state()));
        List<Replica> replicas = placement.replicas().stream()
                .map(r -> withDataDisks(replica(r, copies.get(r.index())), disks.get(r.index())))
                .toList();
        RegionReplication entry = new RegionReplication();
        entry.region = placement.region();
        entry.replicas = replicas.isEmpty() ? null : replicas;
        entry.progress = replicas.isEmpty()
                ? 0
                : (int) replicas.stream().mapToInt(r -> r.progress).average().orElse(0);
        List<Trouble> failures = new ArrayList<>();
        List<Trouble> retries = new ArrayList<>();
        List<String> waiting = new ArrayList<>();
        placement.replicas().forEach(r -> {
            CopyState state = states.get(r.index());
            if (state instanceof CopyState.Failed failed) {
                failures.add(new Trouble(
                        failed.reason(),
                        "replica " + r.index() + " on store " + r.store()
                                + (failed.attempts() > 0 ? " failed after " + failed.attempts() + " attempts: " : ": ")
                                + failed.message()));
            } else if (state instanceof CopyState.Waiting wait) {
                waiting.add("replica " + r.index() + " is " + wait.details());
            } else if (state instanceof CopyState.Pending pending && pending.lastError() != null) {
                retries.add(new Trouble(
                        pending.lastReason(),
                        "replica " + r.index() + " on store " + r.store() + " failed " + pending.failedAttempts()
                                + " times, retrying: " + pending.lastError()));
            }
        });
        long completed =
                replicas.stream().filter(r -> r.state == RegionState.Completed).count();
        if (placement instanceof RegionPlacement.Failed failedPlacement) {
            entry.state = RegionState.Failed;
            entry.details = Messages.bounded(failedPlacement.reason());
        } else if (!failures.isEmpty()) {
            entry.state = RegionState.Failed;
            entry.details = Messages.bounded(
                    failures.size() + " of " + replicas.size() + " replicas failed: " + summary(failures),
                    "; " + RETRY_HINT);
        } else if (completed == replicas.size()) {
            entry.state = RegionState.Completed;
            entry.details = Messages.bounded(replicas.size() + " replicas copied and verified on " + stores(placement));
        } else {
            entry.state = RegionState.Replicating;
            entry.details = Messages.bounded(
                    completed + " of " + replicas.size() + " replicas copied and verified, on " + stores(placement)
                            + (retries.isEmpty() ? "" : "; " + retries.size() + " retrying: " + summary(retries))
                            + (waiting.isEmpty() ? "" : "; " + waiting.size() + " waiting, first: " + waiting.get(0)));
        }
        return entry;
    }

    /** What went wrong with one replica: the reason, to count, and the words, for the first. */
    private record Trouble(FailureReason reason, String words) {}

    /**
     * "DigestMismatch ×3, StoreUnavailable ×1; first: replica 0 on store s1 ...": the reasons in a fixed
     * order, so that the text changes only when they do (an unchanged status is not written).
     */
    private static String summary(List<Trouble> troubles) {
        Map<FailureReason, Long> counts = troubles.stream()
                .collect(Collectors.groupingBy(
                        Trouble::reason, () -> new EnumMap<>(FailureReason.class), Collectors.counting()));
        return counts.entrySet().stream()
                        .map(c -> c.getKey() + " ×" + c.getValue())
                        .collect(Collectors.joining(", ")) + "; first: "
                + troubles.get(0).words();
    }

    private static String stores(RegionPlacement placement) {
        return Messages.listed(
                placement.replicas().stream()
                        .map(PlacedReplica::store)
                        .distinct()
                        .toList(),
                STORES_NAMED);
    }

    /** The replica's data disks, each as far as its own copy is. */
    private static Replica withDataDisks(Replica replica, ReplicaDisks disks) {
        if (disks == null || disks.dataDisks().isEmpty()) {
            return replica;
        }
        replica.dataDisks = disks.dataDisks().entrySet().stream()
                .map(disk -> {
                    Replica alone = replica(null, disk.getValue());
                    DataDiskReplica entry = new DataDiskReplica();
                    entry.lun = disk.getKey();
                    entry.state = alone.state;
                    entry.progress = alone.progress;
                    entry.url = alone.url;
                    return entry;
                })
                .toList();
        // As far as its least advanced disk: a figure that never goes back as one disk ends and the next starts.
        replica.progress = Stream.concat(
                        Stream.of(replica(null, disks.os()).progress),
                        replica.dataDisks.stream().map(d -> d.progress))
                .min(Integer::compare)
                .orElse(replica.progress);
        return replica;
    }

    private static Replica replica(PlacedReplica placed, ReplicaCopy copy) {
        Replica replica = new Replica();
        if (placed != null) {
            replica.index = placed.index();
            replica.store = placed.store();
            replica.zone = placed.zone();
        }
        CopyState state = copy == null ? null : copy.state();
        if (copy != null) {
            replica.url = copy.url();
            replica.copiedFrom = copy.copiedFrom();
        }
        if (state instanceof CopyState.Completed) {
            replica.state = RegionState.Completed;
            replica.progress = 100;
        } else if (state instanceof CopyState.Failed) {
            replica.state = RegionState.Failed;
            replica.progress = 0;
        } else {
            replica.state = state == null ? RegionState.Unknown : RegionState.Replicating;
            replica.progress = state instanceof CopyState.Copying copying ? copying.percent() : 0;
        }
        return replica;
    }

    /**
     * The regions while the version cannot be replicated: targets without replicas are Unknown, and
     * every region that holds replicas keeps them on record (they are real, and must not be forgotten).
     */
    static List<RegionReplication> onHold(List<String> targets, ReplicaRecord record, String details) {
        Map<String, List<PlacedReplica>> held = record.placed();
        List<String> regions = new ArrayList<>(targets);
        held.keySet().stream().filter(r -> !regions.contains(r)).sorted().forEach(regions::add);
        return regions.stream()
                .map(r -> onHold(r, details, held.getOrDefault(r, List.of())))
                .toList();
    }

    private static RegionReplication onHold(String region, String details, List<PlacedReplica> replicas) {
        RegionReplication entry = new RegionReplication();
        entry.region = region;
        entry.state = RegionState.Unknown;
        entry.progress = 0;
        entry.details = Messages.bounded(details);
        entry.replicas = replicas.isEmpty()
                ? null
                : replicas.stream().map(r -> replica(r, null)).toList();
        return entry;
    }
}
