package dev.imagegallery.reconciler.version;

import dev.imagegallery.api.DataDiskDigest;
import dev.imagegallery.api.Gallery;
import dev.imagegallery.api.GalleryStatus.SoftDeletedVersion;
import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.api.ImageVersionSpec;
import dev.imagegallery.api.Region;
import dev.imagegallery.config.SoftDeleteConfig;
import dev.imagegallery.placement.PlacedReplica;
import dev.imagegallery.replication.ReplicaKey;
import dev.imagegallery.replication.VersionKey;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The soft-deleted versions of every gallery, between the two controllers that share them: a
 * version's cleanup hands its record over here ({@link #handOver}) and keeps its finalizer until
 * its gallery's status lists it; the gallery controller writes them into that status, which is
 * their one durable record, tells this class what it wrote ({@link #recorded}), and deletes their
 * replicas when they expire. Versions read it to be restored and to count soft-deleted bytes.
 */
@Singleton
public class SoftDeletes {
    /**
     * The replicas a gallery's status may record soft-deleted: about 60 bytes each, a data disk's digest
     * counting as two (about 110 bytes), so that the record stays far below what the API server takes
     * (1.5 MiB an object); versions deleted beyond it are not soft.
     */
    static final int MAX_REPLICAS_PER_GALLERY = 5000;

    /** How long before its expiry a record no longer restores a version. */
    private static final Duration RESTORE_MARGIN = Duration.ofSeconds(5);

    private final ReplicationService replication;
    private final Duration day;
    private final SimpleInboundEventSource<Gallery> galleries = new SimpleInboundEventSource<>("soft-deletes");
    private final SimpleInboundEventSource<ImageVersion> versions = new SimpleInboundEventSource<>("soft-deleted");
    private final Map<ResourceID, List<SoftDeletedVersion>> handedOver = new ConcurrentHashMap<>();
    private final Map<ResourceID, List<SoftDeletedVersion>> recorded = new ConcurrentHashMap<>();

    public SoftDeletes(ReplicationService replication, SoftDeleteConfig config) {
        this.replication = replication;
        this.day = config.day();
    }

    /** Reconciles a gallery that was handed a version. */
    public EventSource<Void, Gallery> eventSource() {
        return galleries;
    }

    /** Reconciles a version being deleted once its gallery records it. */
    EventSource<Void, ImageVersion> versionEvents() {
        return versions;
    }

    /** What one of a gallery's retention days lasts. */
    Duration day() {
        return day;
    }

    /** A version being deleted, for its gallery to record; the gallery is reconciled. */
    void handOver(ResourceID gallery, SoftDeletedVersion deleted) {
        handedOver.merge(
                gallery,
                List.of(deleted),
                (held, added) -> Stream.concat(held.stream().filter(h -> !same(h, deleted)), added.stream())
                        .toList());
        if (galleries.isRunning()) {
            galleries.propagateEvent(gallery);
        }
    }

    /** The versions handed over to the gallery and not yet seen recorded. */
    public List<SoftDeletedVersion> handedOver(ResourceID gallery) {
        return handedOver.getOrDefault(gallery, List.of());
    }

    /** What the gallery's status now records; the hand-overs it holds are done. */
    public void recorded(ResourceID gallery, List<SoftDeletedVersion> recordedNow) {
        if (recordedNow.isEmpty()) {
            recorded.remove(gallery);
        } else {
            recorded.put(gallery, recordedNow);
        }
        handedOver.computeIfPresent(gallery, (g, held) -> {
            Map<Boolean, List<SoftDeletedVersion>> done = held.stream()
                    .collect(Collectors.partitioningBy(h -> recordedNow.stream().anyMatch(v -> same(v, h))));
            if (versions.isRunning()) {
                done.get(true)
                        .forEach(h -> versions.propagateEvent(
                                new ResourceID(h.name, gallery.getNamespace().orElseThrow())));
            }
            return done.get(false).isEmpty() ? null : done.get(false);
        });
    }

    /** Whether the gallery's record has room for the replicas of one more soft-deleted version. */
    boolean hasRoomFor(ResourceID gallery, SoftDeletedVersion deleted) {
        int held = Stream.concat(
                        recorded.getOrDefault(gallery, List.of()).stream(),
                        handedOver.getOrDefault(gallery, List.of()).stream())
                .filter(v -> !same(v, deleted))
                .mapToInt(SoftDeletes::recordSize)
                .sum();
        return held + recordSize(deleted) <= MAX_REPLICAS_PER_GALLERY;
    }

    /** What a record takes of {@link #MAX_REPLICAS_PER_GALLERY}: its replicas, and two for each data disk. */
    private static int recordSize(SoftDeletedVersion deleted) {
        return deleted.replicas.size() + 2 * SoftDeletion.luns(deleted).size();
    }

    /** The soft-deleted record a version with this key and disks is restored from, if its gallery has one. */
    Optional<SoftDeletedVersion> restorable(VersionKey key, ImageVersionSpec spec) {
        Instant soon = Instant.now().plus(RESTORE_MARGIN);
        List<DataDiskDigest> declared = SoftDeletion.dataDisks(spec);
        return recorded.getOrDefault(new ResourceID(key.gallery(), key.namespace()), List.of()).stream()
                .filter(v -> v.imageDefinition.equals(key.definition())
                        && v.version.equals(key.version())
                        && v.sha256.equals(spec.source.sha256)
                        && sameDataDisks(v.dataDisks, declared)
                        // One about to expire may lose its replicas while they are checked: the version copies instead.
                        && Instant.parse(v.expiresAt).isAfter(soon))
                .findFirst();
    }

    /**
     * Bytes the namespace's soft-deleted versions keep in the region, which its byte quota counts; but for
     * those of {@code version}'s own number, which it is restored from or replaces.
     */
    long bytes(VersionKey version, String region) {
        return recorded.entrySet().stream()
                .filter(e -> e.getKey().getNamespace().orElse("").equals(version.namespace()))
                .flatMap(e -> e.getValue().stream()
                        .filter(v -> !(e.getKey().getName().equals(version.gallery())
                                && v.imageDefinition.equals(version.definition())
                                && v.version.equals(version.version()))))
                .mapToLong(v -> SoftDeletion.replicaBytes(v)
                        * v.replicas.stream()
                                .filter(r -> region.equals(r.region))
                                .count())
                .reduce(0, (a, b) -> a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b);
    }

    /** The object paths of the soft-deleted replicas in a store, which the store audit counts as referenced. */
    public Stream<String> paths(String region, String store) {
        return recorded.entrySet().stream()
                .flatMap(e -> e.getValue().stream()
                        .flatMap(v -> key(e.getKey(), v).stream()
                                .flatMap(key -> v.replicas.stream()
                                        .filter(r -> region.equals(r.region) && store.equals(r.store))
                                        .flatMap(r -> new ReplicaKey(key, region, r.index)
                                                .withDataDisks(SoftDeletion.luns(v)).stream()
                                                        .map(ReplicaKey::objectPath)))));
    }

    /**
     * Deletes an expired version's replicas from their stores.
     *
     * @return why some could not be deleted, by replica; empty when all are gone
     */
    public Map<String, String> deleteReplicas(ResourceID gallery, SoftDeletedVersion expired, List<Region> regions) {
        Optional<VersionKey> key = key(gallery, expired);
        if (key.isEmpty()) {
            return Map.of();
        }
        // Out of the record first, so that no version is restored from replicas being deleted; and out of the
        // hand-overs, which an expiry ends as well as a record does.
        for (Map<ResourceID, List<SoftDeletedVersion>> held : List.of(recorded, handedOver)) {
            held.computeIfPresent(gallery, (g, versions) -> {
                List<SoftDeletedVersion> left =
                        versions.stream().filter(v -> !same(v, expired)).toList();
                return left.isEmpty() ? null : left;
            });
        }
        RegionCatalogue catalogue = RegionCatalogue.of(regions);
        var failures = replication.delete(
                expired.replicas.stream()
                        .map(r -> catalogue.locate(key.get(), r.region, new PlacedReplica(r.index, r.store, null)))
                        .toList(),
                SoftDeletion.luns(expired));
        Map<String, String> named = new java.util.LinkedHashMap<>();
        failures.forEach((replica, why) -> named.put(
                "replica " + replica.key().index() + " of region "
                        + replica.key().region() + " on store " + replica.store(),
                why));
        return named;
    }

    private static boolean sameDataDisks(List<DataDiskDigest> recorded, List<DataDiskDigest> declared) {
        Function<List<DataDiskDigest>, List<List<Object>>> fields = disks -> disks == null
                ? List.of()
                : disks.stream()
                        .map(d -> List.<Object>of(d.lun, d.sha256, d.sizeBytes))
                        .toList();
        return fields.apply(recorded).equals(fields.apply(declared));
    }

    /** Whether two records are of the same deletion of the same version. */
    public static boolean same(SoftDeletedVersion a, SoftDeletedVersion b) {
        return a.imageDefinition.equals(b.imageDefinition)
                && a.version.equals(b.version)
                && a.deletedAt.equals(b.deletedAt);
    }

    /** Forgets a gallery that is gone. */
    public void forget(ResourceID gallery) {
        handedOver.remove(gallery);
        recorded.remove(gallery);
    }

    /** Where the record's replicas live; empty for a record whose names could not be a version's (edited by hand). */
    private static Optional<VersionKey> key(ResourceID gallery, SoftDeletedVersion deleted) {
        try {
            return Optional.of(new VersionKey(
                    gallery.getNamespace().orElseThrow(), gallery.getName(), deleted.imageDefinition, deleted.version));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
