package dev.imagegallery.reconciler.version;

import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.reconciler.PlacementInputs;
import dev.imagegallery.replication.SourceChecks;
import dev.imagegallery.status.Outcome;
import dev.imagegallery.status.Reason;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * Whether a version may be placed now: valid, its source allowed and readable, and its bytes within
 * its namespace's byte quota; else why its replication is on hold. Pure.
 */
final class ReplicationGate {
    private ReplicationGate() {}

    /** What the gate decided. */
    sealed interface Decision {}

    /** Place the version, {@code sizeBytes} a replica. */
    record Admitted(long sizeBytes) implements Decision {}

    /** Leave the replicas where they are, saying why. */
    record Held(Replication.OnHold onHold) implements Decision {}

    /**
     * @param broken the first rule the version breaks
     * @param source what is known of the source; not looked at when a rule is broken
     * @param byteBudget image-gallery.bytes-per-namespace-per-region, in bytes, when set
     * @param sizeOf another version's size a replica, all its disks, as declared or probed (0 while unknown)
     * @param softDeletedIn bytes the namespace's soft-deleted versions (other than this one) keep in a region
     */
    static Decision decide(
            ObservedVersion observed,
            Optional<Outcome> broken,
            SourceChecks.Finding source,
            Optional<Long> byteBudget,
            ToLongFunction<ImageVersion> sizeOf,
            ToLongFunction<String> softDeletedIn) {
        Long declared = observed.spec().source.sizeBytes;
        if (broken.isPresent()) {
            return held(
                    "on hold while the version is not valid (" + broken.get().reason() + ")",
                    declared,
                    Optional.empty());
        }
        if (source instanceof SourceChecks.NotAllowed refused) {
            return held(
                    "on hold: the source is not allowed",
                    null,
                    Optional.of(Outcome.stalled(Reason.SourceNotAllowed, refused.message())));
        }
        if (source instanceof SourceChecks.Unreachable unreachable) {
            return held(
                    "waiting for the source",
                    declared,
                    Optional.of(Outcome.inProgress(
                            Reason.SourceUnreachable,
                            "cannot read spec.source.url: " + unreachable.message() + "; retrying every "
                                    + Replication.RECHECK.toSeconds() + "s")));
        }
        long size = ((SourceChecks.Usable) source).sizeBytes();
        Optional<Outcome> overQuota = byteBudget.flatMap(budget -> ByteQuota.exceeded(
                observed.version(),
                PlacementInputs.replicaBytes(observed.spec(), size),
                budget,
                region -> observed.sameNamespaceByTarget().get(region),
                sizeOf,
                softDeletedIn));
        if (overQuota.isPresent()) {
            return held("on hold while over the byte quota", size, overQuota);
        }
        return new Admitted(size);
    }

    private static Held held(String details, Long sizeBytes, Optional<Outcome> problem) {
        return new Held(new Replication.OnHold(details, sizeBytes, problem));
    }
}
