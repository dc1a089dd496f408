package dev.imagegallery.reconciler.version;

import dev.imagegallery.replication.CopyState;
import dev.imagegallery.replication.FailureReason;
import dev.imagegallery.replication.ReplicaKey;
import dev.imagegallery.replication.StoreUnavailableException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where each replica of a version is copied from, so that a version with 100 replicas reads its
 * source once: the first replica (of the source region when it has one) reads the source, and
 * every other one is copied from the nearest complete replica: of its own region, else of the
 * source region, else of any region. While none is complete, the others wait. A source read whose
 * store fails (retrying, or for good) lets the next replica read the source; one that failed at the source
 * fails the others with it, until the retry annotation forgets them all. Pure.
 */
final class CopyOrigins {
    private CopyOrigins() {}

    /** What is read for a replica. */
    sealed interface Origin {
        /** The version's own source. */
        record Source() implements Origin {}

        /** A complete replica of the version. */
        record Replica(StoredReplica replica) implements Origin {}

        /** Nothing yet: no replica is complete, and another one is being copied from the source. */
        record Await(String details) implements Origin {}

        /**
         * Nothing: no replica is complete, and the source failed for good for another one, with a fault
         * of the source's (unreachable, not allowed, other bytes) that reading it again would repeat.
         */
        record SourceFailed(ReplicaKey reader, CopyState.Failed failure) implements Origin {}
    }

    /** Failures of the source itself: another replica reading it would fail the same way. */
    private static final Set<FailureReason> SOURCE_REASONS =
            EnumSet.of(FailureReason.SourceNotAllowed, FailureReason.SourceUnreachable, FailureReason.DigestMismatch);

    /** A replica the executor knows: where it stands, and whether its copy reads the source. */
    record Known(CopyState state, boolean readsSource) {}

    /**
     * @param sourceRegion the version's source region, whose replicas come first
     * @param wanted the replicas to have
     * @param known what the executor knows of some of them
     * @return an origin for each wanted replica the executor does not know
     */
    static Map<ReplicaKey, Origin> choose(
            String sourceRegion, List<StoredReplica> wanted, Map<ReplicaKey, Known> known) {
        List<StoredReplica> ordered = new ArrayList<>(wanted);
        ordered.sort(Comparator.comparing(r -> !r.key().region().equals(sourceRegion)));
        List<StoredReplica> complete = ordered.stream()
                .filter(r -> Optional.ofNullable(known.get(r.key()))
                        .map(k -> k.state() instanceof CopyState.Completed)
                        .orElse(false))
                .toList();
        Optional<StoredReplica> readingSource = ordered.stream()
                .filter(r -> Optional.ofNullable(known.get(r.key()))
                        .map(CopyOrigins::readsSourceNow)
                        .orElse(false))
                .findFirst();
        Optional<StoredReplica> sourceFailed = ordered.stream()
                .filter(r -> Optional.ofNullable(known.get(r.key()))
                        .map(CopyOrigins::sourceFailed)
                        .orElse(false))
                .findFirst();
        Map<ReplicaKey, Origin> origins = new LinkedHashMap<>();
        for (StoredReplica replica : ordered) {
            if (known.containsKey(replica.key())) {
                continue;
            }
            Optional<StoredReplica> nearest = nearest(replica, sourceRegion, complete);
            if (nearest.isPresent()) {
                origins.put(replica.key(), new Origin.Replica(nearest.get()));
            } else if (readingSource.isEmpty() && sourceFailed.isPresent()) {
                ReplicaKey reader = sourceFailed.get().key();
                origins.put(replica.key(), new Origin.SourceFailed(reader, (CopyState.Failed)
                        known.get(reader).state()));
            } else if (readingSource.isEmpty()) {
                origins.put(replica.key(), new Origin.Source());
                readingSource = Optional.of(replica);
            } else {
                ReplicaKey reader = readingSource.get().key();
                origins.put(
                        replica.key(),
                        new Origin.Await("waiting to be copied from replica " + reader.index() + " of region "
                                + reader.region() + ", which is being copied from the source"));
            }
        }
        return origins;
    }

    /**
     * Whether the replica is copying from the source, or about to: not when it is done, gave up, or
     * waits to retry a fault of its store, which another replica's store may not have.
     */
    private static boolean readsSourceNow(Known known) {
        return known.readsSource()
                && !(known.state() instanceof CopyState.Completed)
                && !(known.state() instanceof CopyState.Failed)
                && !(known.state() instanceof CopyState.Pending pending
                        && StoreUnavailableException.STORE_REASONS.contains(pending.lastReason()));
    }

    private static boolean sourceFailed(Known known) {
        return known.readsSource()
                && known.state() instanceof CopyState.Failed failed
                && SOURCE_REASONS.contains(failed.reason());
    }

    private static Optional<StoredReplica> nearest(
            StoredReplica replica, String sourceRegion, List<StoredReplica> complete) {
        String region = replica.key().region();
        return complete.stream()
                .filter(r -> r.key().region().equals(region))
                .findFirst()
                .or(() -> complete.stream()
                        .filter(r -> r.key().region().equals(sourceRegion))
                        .findFirst())
                .or(() -> complete.stream().findFirst());
    }
}
