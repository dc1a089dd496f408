package dev.imagegallery.reconciler.version;

import dev.imagegallery.api.Condition;
import dev.imagegallery.api.ImageVersionStatus;
import dev.imagegallery.api.ImageVersionStatus.AggregatedState;
import dev.imagegallery.api.ImageVersionStatus.RegionReplication;
import dev.imagegallery.api.ImageVersionStatus.RegionState;
import dev.imagegallery.api.ImageVersionStatus.Replica;
import dev.imagegallery.api.ImageVersionStatus.ReplicaRemoval;
import dev.imagegallery.api.ImageVersionStatus.ReplicationStatus;
import dev.imagegallery.api.ImageVersionStatus.RetentionStatus;
import dev.imagegallery.status.Conditions;
import dev.imagegallery.status.EndOfLifeCondition;
import dev.imagegallery.status.Messages;
import dev.imagegallery.status.Outcome;
import dev.imagegallery.status.Reason;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * An ImageVersion's status, built here alone: each region's replication (or why it is on hold),
 * aggregated, and Ready only when every target region is Completed (provisioning alone is not
 * enough). A Failed region stalls the version without failing the others. Pure.
 */
public final class ImageVersionStatusCalculator {
    /** A version may have 100 target regions: its conditions name a few, and count the others. */
    private static final int REGIONS_NAMED = 3;

    private static final int MANY_REGIONS = 10;
    private static final int DETAILS_BYTES_WHEN_MANY = 256;

    private ImageVersionStatusCalculator() {}

    /**
     * What the status is made of.
     *
     * @param problem the first rule the version breaks, which outranks what replication says
     * @param regions each target region's state (and regions still holding replicas)
     * @param sizeBytes the image size, declared or read from the source; null while unknown
     * @param storagePath the version's folder in every store; null without its definition
     * @param pendingRemovals dropped replicas still in their stores
     * @param replicationProblem what keeps replication from going on besides a region's state
     */
    public record Findings(
            Optional<Outcome> problem,
            List<RegionReplication> regions,
            Long sizeBytes,
            String storagePath,
            List<ReplicaRemoval> pendingRemovals,
            Optional<Outcome> replicationProblem,
            String endOfLifeDate) {}

    /**
     * The status after one reconcile.
     *
     * @param problem the first rule the version breaks (or its sharing refused), which outranks replication
     */
    static ImageVersionStatus calculate(
            ObservedVersion observed, Optional<Outcome> problem, Replication replication, Instant now) {
        List<RegionReplication> regions;
        List<ReplicaRemoval> pendingRemovals;
        if (replication instanceof Replication.Running running) {
            regions = running.placement().regions().stream()
                    .map(p -> RegionStatuses.replicated(p, ReplicaDisks.byIndex(p.region(), running.states())))
                    .toList();
            pendingRemovals = running.pendingRemovals().stream()
                    .map(ImageVersionStatusCalculator::removal)
                    .toList();
        } else {
            List<String> targets = observed.targets().stream().map(t -> t.name).toList();
            regions = RegionStatuses.onHold(targets, observed.record(), ((Replication.OnHold) replication).details());
            pendingRemovals = observed.record().pendingRemovals();
        }
        ImageVersionStatus previous = observed.version().getStatus();
        ImageVersionStatus status = calculate(
                previous,
                observed.version().getMetadata().getGeneration(),
                new Findings(
                        problem,
                        regions,
                        replication.sizeBytes(),
                        observed.storagePath(),
                        pendingRemovals,
                        replication.problem(),
                        observed.spec().publishingProfile.endOfLifeDate),
                now);
        status.retention = observed.retention()
                .map(kept -> {
                    RetentionStatus retention = new RetentionStatus();
                    retention.newest = kept.newest();
                    retention.targetRegions = kept.regions();
                    retention.details = Messages.bounded(kept.details());
                    return retention;
                })
                .orElse(null);
        return status;
    }

    public static ImageVersionStatus calculate(
            ImageVersionStatus previous, long generation, Findings findings, Instant now) {
        ImageVersionStatus status = new ImageVersionStatus();
        status.observedGeneration = generation;
        status.sizeBytes = findings.sizeBytes();
        List<RegionReplication> regions = findings.regions();
        if (regions.size() > MANY_REGIONS) {
            // A version in many regions says less of each, so that 1,000 replicas in 100 regions stay within 256 KiB.
            regions.forEach(r -> r.details = Messages.bounded(r.details, DETAILS_BYTES_WHEN_MANY));
        }
        if (Messages.overAddressBudget(addresses(regions))) {
            regions.forEach(ImageVersionStatusCalculator::keepFirstAddress);
        }
        if (Messages.overAddressBudget(addresses(regions))) {
            // Many data disks on stores with long endpoints: the OS disks' addresses are kept, the data disks' left
            // out.
            replicas(regions)
                    .flatMap(r -> Optional.ofNullable(r.dataDisks).stream().flatMap(List::stream))
                    .forEach(d -> d.url = null);
        }
        ReplicationStatus replication = new ReplicationStatus();
        replication.summary = regions;
        replication.storagePath = findings.storagePath();
        replication.pendingRemovals = findings.pendingRemovals() == null
                        || findings.pendingRemovals().isEmpty()
                ? null
                : findings.pendingRemovals();
        replication.aggregatedState = aggregate(regions);
        long completed =
                regions.stream().filter(r -> r.state == RegionState.Completed).count();
        replication.regions = completed + "/" + regions.size();
        status.replicationStatus = replication;
        Outcome outcome = findings.problem()
                .or(findings::replicationProblem)
                .orElseGet(() -> replicationOutcome(regions, completed));
        List<Condition> conditions =
                Conditions.apply(previous == null ? null : previous.conditions, generation, outcome, now);
        EndOfLifeCondition.apply(conditions, findings.endOfLifeDate(), generation, now);
        status.conditions = conditions;
        return status;
    }

    private static Stream<Replica> replicas(List<RegionReplication> regions) {
        return regions.stream()
                .flatMap(r -> Optional.ofNullable(r.replicas).stream().flatMap(List::stream));
    }

    /** The addresses a status shows: every replica's, and its data disks'. */
    private static Stream<String> addresses(List<RegionReplication> regions) {
        return replicas(regions)
                .flatMap(r -> Stream.concat(
                        Stream.of(r.url),
                        Optional.ofNullable(r.dataDisks).stream()
                                .flatMap(List::stream)
                                .map(d -> d.url)));
    }

    /**
     * Only the region's first Completed replica keeps its addresses, its data disks' too: its bytes are
     * the others'.
     */
    private static void keepFirstAddress(RegionReplication region) {
        List<Replica> replicas = Optional.ofNullable(region.replicas).orElse(List.of());
        Optional<Replica> kept = replicas.stream().filter(r -> r.url != null).findFirst();
        replicas.stream().filter(r -> kept.map(k -> k != r).orElse(true)).forEach(r -> {
            r.url = null;
            Optional.ofNullable(r.dataDisks).orElse(List.of()).forEach(d -> d.url = null);
        });
    }

    static AggregatedState aggregate(List<RegionReplication> regions) {
        if (regions.isEmpty() || regions.stream().allMatch(r -> r.state == RegionState.Unknown)) {
            return AggregatedState.Unknown;
        }
        if (regions.stream().anyMatch(r -> r.state == RegionState.Failed)) {
            return AggregatedState.Failed;
        }
        return regions.stream().allMatch(r -> r.state == RegionState.Completed)
                ? AggregatedState.Completed
                : AggregatedState.InProgress;
    }

    private static Outcome replicationOutcome(List<RegionReplication> regions, long completed) {
        List<RegionReplication> failed =
                regions.stream().filter(r -> r.state == RegionState.Failed).toList();
        if (!failed.isEmpty()) {
            String count = failed.size() == 1
                    ? ""
                    : failed.size() + " of " + regions.size() + " target regions failed: " + names(failed) + "; ";
            return Outcome.stalled(Reason.RegionFailed, count + inWords(failed));
        }
        if (completed == regions.size()) {
            return Outcome.ready(Reason.Replicated, "Usable in all " + regions.size() + " target regions");
        }
        List<RegionReplication> waiting =
                regions.stream().filter(r -> r.state != RegionState.Completed).toList();
        return Outcome.inProgress(
                Reason.Replicating,
                completed + " of " + regions.size() + " target regions completed; "
                        + (waiting.size() > REGIONS_NAMED ? "waiting for " + names(waiting) + "; " : "")
                        + inWords(waiting));
    }

    private static ReplicaRemoval removal(Replication.PendingRemoval pending) {
        ReplicaRemoval removal = new ReplicaRemoval();
        removal.region = pending.replica().key().region();
        removal.index = pending.replica().key().index();
        removal.store = pending.replica().store();
        removal.details = Messages.bounded(pending.details());
        return removal;
    }

    private static String names(List<RegionReplication> regions) {
        return Messages.listed(regions.stream().map(r -> r.region).toList(), REGIONS_NAMED);
    }

    /** The first few regions and what each says; the condition bounds the whole. */
    private static String inWords(List<RegionReplication> regions) {
        return regions.stream()
                .limit(REGIONS_NAMED)
                .map(r -> r.region + ": " + r.details)
                .collect(Collectors.joining("; "));
    }
}
