package dev.imagegallery.reconciler.gallery;

import dev.imagegallery.api.GalleryStatus.SoftDeletedVersion;
import dev.imagegallery.reconciler.version.SoftDeletes;
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
        /** The earliest expiry among those kept. */
        Optional<Instant> nextExpiry() {
            return kept.stream().map(v -> Instant.parse(v.expiresAt)).min(Comparator.naturalOrder());
        }
    }

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
        handedOver.stream()
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
        try {
            Instant.parse(version.expiresAt);
            Instant.parse(version.deletedAt);
        } catch (DateTimeParseException e) {
            return false;
        }
        return version.replicas.stream().allMatch(r -> r.region != null && r.index != null && r.store != null);
    }
}
