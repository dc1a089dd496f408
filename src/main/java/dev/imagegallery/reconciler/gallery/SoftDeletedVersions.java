package dev.imagegallery.reconciler.gallery;

import dev.imagegallery.api.GalleryStatus.SoftDeletedVersion;
import dev.imagegallery.api.ImageVersionSpec;
import dev.imagegallery.reconciler.version.SoftDeletes;
import dev.imagegallery.replication.ReplicaKey;
import dev.imagegallery.replication.VersionKey;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * What a gallery does with its soft-deleted versions in one reconcile: records those handed over,
 * lets go of those a live version of the same number took over (restored, or replaced by other
 * bytes), and expires the others when their time is up. Pure.
 */
final class SoftDeletedVersions {
    /** Whether a live version (not being deleted) has the soft-deleted version's number. */
    enum Live {
        /** None: the record stays until it expires. */
        NONE,
        /** One without replicas yet: it may be restored from the record, which stays, even past its time. */
        WAITING,
        /** One whose status records replicas at the same paths: the record is its no more. */
        HOLDING
    }

    /**
     * @param kept what the status records after this reconcile
     * @param expired whose replicas are deleted now (and kept on record until they are)
     * @param waiting whether a live version may yet be restored from a kept record
     */
    record Plan(List<SoftDeletedVersion> kept, List<SoftDeletedVersion> expired, boolean waiting) {
        /** The earliest expiry to come among those kept (one past its time waits on a live version instead). */
        Optional<Instant> nextExpiry(Instant now) {
            return kept.stream()
                    .map(v -> Instant.parse(v.expiresAt))
                    .filter(at -> at.isAfter(now))
                    .min(Comparator.naturalOrder());
        }
    }

    /** Replica indexes within a region are below this (the largest legal version has 1,000 replicas). */
    private static final int MAX_REPLICA_INDEX = ImageVersionSpec.MAX_TOTAL_REPLICAS;

    private SoftDeletedVersions() {}

    /**
     * @param recorded what the gallery's status records (a record edited into a shape the operator never
     *     writes is dropped)
     * @param handedOver versions being deleted, handed over by their cleanup
     */
    static Plan plan(
            List<SoftDeletedVersion> recorded,
            List<SoftDeletedVersion> handedOver,
            Function<SoftDeletedVersion, Live> live,
            Instant now) {
        List<SoftDeletedVersion> all = new ArrayList<>();
        recorded.stream().filter(SoftDeletedVersions::wellFormed).forEach(all::add);
        // A hand-over is built from a version's status, which its tenant may have edited too.
        handedOver.stream()
                .filter(SoftDeletedVersions::wellFormed)
                .filter(h -> all.stream().noneMatch(v -> SoftDeletes.same(v, h)))
                .forEach(all::add);
        List<SoftDeletedVersion> kept = new ArrayList<>();
        List<SoftDeletedVersion> expired = new ArrayList<>();
        boolean waiting = false;
        for (SoftDeletedVersion version : all) {
            switch (live.apply(version)) {
                case HOLDING -> {}
                case WAITING -> {
                    kept.add(version);
                    waiting = true;
                }
                case NONE -> (Instant.parse(version.expiresAt).isAfter(now) ? kept : expired).add(version);
            }
        }
        kept.sort(Comparator.comparing((SoftDeletedVersion v) -> v.expiresAt).thenComparing(v -> v.name));
        return new Plan(kept, expired, waiting);
    }

    private static boolean wellFormed(SoftDeletedVersion version) {
        if (Stream.of(
                        version.imageDefinition,
                        version.version,
                        version.name,
                        version.sha256,
                        version.sizeBytes,
                        version.deletedAt,
                        version.expiresAt,
                        version.replicas)
                .anyMatch(Objects::isNull)) {
            return false;
        }
        if (version.sizeBytes <= 0 || version.sizeBytes > ImageVersionSpec.MAX_SIZE_BYTES) {
            return false;
        }
        if (version.dataDisks != null
                && !version.dataDisks.stream()
                        .allMatch(d -> d != null
                                && d.lun != null
                                && d.lun >= 0
                                && d.lun <= ImageVersionSpec.MAX_LUN
                                && d.sha256 != null
                                && d.sizeBytes != null
                                && d.sizeBytes >= 0
                                && d.sizeBytes <= ImageVersionSpec.MAX_SIZE_BYTES)) {
            return false;
        }
        try {
            Instant.parse(version.expiresAt);
            Instant.parse(version.deletedAt);
            // The names must make a path as the operator's keys check them: no segment that climbs or breaks it.
            VersionKey key = new VersionKey("namespace", "gallery", version.imageDefinition, version.version);
            return version.replicas.stream()
                    .allMatch(r -> r.region != null
                            && r.store != null
                            && r.index != null
                            && new ReplicaKey(key, r.region, r.index).index() < MAX_REPLICA_INDEX);
        } catch (DateTimeParseException e) {
            return false;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
