package dev.imagegallery.audit;

import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.api.ImageVersionStatus;
import dev.imagegallery.api.ImageVersionStatus.RegionState;
import dev.imagegallery.reconciler.DataDisks;
import dev.imagegallery.replication.ObjectStore;
import dev.imagegallery.replication.ObjectStore.StoredObject;
import dev.imagegallery.replication.ReplicaKey;
import dev.imagegallery.replication.VersionKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Compares what one store holds with the replicas the versions' status records in it: objects no
 * replica accounts for (orphans), and replicas recorded Completed whose object is gone, of another
 * size, or without its marker (damaged). Pure.
 */
public final class StoreAudit {
    /**
     * A replica's index and, for a data disk, {@code -lun<k>}; then its object's own name or a dot and what makes it a
     * marker or a staged copy.
     */
    private static final Pattern REPLICA_NAME = Pattern.compile("([0-9]+(?:-lun[0-9]{1,2})?)(?:\\..*)?");
    /** The last segment of a disk's object path: the replica's index, and a data disk's LUN. */
    private static final Pattern DISK_NAME = Pattern.compile("([0-9]{1,3})(?:-lun([0-9]{1,2}))?");

    private StoreAudit() {}

    /**
     * A replica a version's status places in the store.
     *
     * @param version the version, for its Event
     * @param completed whether the status records it as copied and verified
     */
    public record RecordedReplica(ImageVersion version, ReplicaKey key, long sizeBytes, boolean completed) {}

    /** A replica recorded Completed that the store does not hold as verified; {@code problem} says how, in words. */
    public record Damaged(RecordedReplica replica, String problem) {}

    /** @param orphans the paths of objects no recorded replica accounts for, sorted */
    public record Findings(List<String> orphans, List<Damaged> damaged) {}

    /**
     * @param recordedBefore the replicas on record before the store was listed: a replica recorded
     *     Completed then must be in the listing
     * @param recordedAfter the replicas on record after it was listed: any object the listing shows
     *     that one of them accounts for (a copy committed meanwhile) is no orphan
     */
    public static Findings audit(
            List<StoredObject> listing,
            Collection<RecordedReplica> recordedBefore,
            Collection<RecordedReplica> recordedAfter) {
        Map<String, Long> sizes =
                listing.stream().collect(Collectors.toMap(StoredObject::path, StoredObject::sizeBytes, (a, b) -> a));
        Set<String> referenced =
                recordedAfter.stream().map(r -> r.key().objectPath()).collect(Collectors.toSet());
        List<String> orphans = listing.stream()
                .map(StoredObject::path)
                .flatMap(path -> replicaPath(path).stream())
                .filter(path -> !referenced.contains(path))
                .collect(Collectors.toCollection(TreeSet::new))
                .stream()
                .toList();
        List<Damaged> damaged = new ArrayList<>();
        for (RecordedReplica replica : recordedBefore) {
            if (!replica.completed()) {
                continue;
            }
            String path = replica.key().objectPath();
            Long size = sizes.get(path);
            if (size == null) {
                damaged.add(new Damaged(replica, "is gone from the store"));
            } else if (size != replica.sizeBytes()) {
                damaged.add(new Damaged(
                        replica, "holds " + size + " bytes where " + replica.sizeBytes() + " were verified"));
            } else if (!sizes.containsKey(path + ObjectStore.MARKER_SUFFIX)) {
                damaged.add(new Damaged(replica, "has lost its marker " + path + ObjectStore.MARKER_SUFFIX));
            }
        }
        return new Findings(orphans, damaged);
    }

    /**
     * The replica path an object belongs to, as the orphan it makes: a replica's object is named by
     * its index, and its marker ({@code .sha256}) and what was staged for it
     * ({@code .<writer>-<n>.partial}) by the index and a dot; any other object stands for itself.
     * Names that start with a dot are the operator's own (an S3 store's probe object), never orphans.
     */
    static Optional<String> replicaPath(String path) {
        int start = path.lastIndexOf('/') + 1;
        Matcher replica = REPLICA_NAME.matcher(path.substring(start));
        if (path.startsWith(".", start)) {
            return Optional.empty();
        }
        return Optional.of(replica.matches() ? path.substring(0, start) + replica.group(1) : path);
    }

    /**
     * The replica an orphan is, when the operator wrote it: its path is a replica's
     * ({@code namespace/gallery/definition/version/index}) and its marker is in the listing. Only
     * such an orphan may ever be deleted; a file someone else put there never is.
     */
    public static Optional<ReplicaKey> writtenByOperator(String orphan, String region, Set<String> listed) {
        String[] segments = orphan.split("/", -1);
        Matcher disk = DISK_NAME.matcher(segments[segments.length - 1]);
        if (segments.length != 5
                || !disk.matches()
                || !listed.contains(orphan)
                || !listed.contains(orphan + ObjectStore.MARKER_SUFFIX)) {
            return Optional.empty();
        }
        try {
            ReplicaKey key = new ReplicaKey(
                    new VersionKey(segments[0], segments[1], segments[2], segments[3]),
                    region,
                    Integer.parseInt(disk.group(1)),
                    disk.group(2) == null ? ReplicaKey.OS_DISK : Integer.parseInt(disk.group(2)));
            // Only the name the operator writes for that key (no "01" or "lun07"): a deletion removes that name.
            return Optional.of(key).filter(k -> k.objectPath().equals(orphan));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The replicas the versions' status records in {@code store} of {@code region}, where they are
     * and where their deletion is pending. Where a version's replicas live is read from its
     * status's storagePath, which must name the version's own namespace, definition and version:
     * a status edited to point elsewhere names nothing, as its gallery is the only part it could
     * change and the copy a finding starts derives its place from the spec again.
     */
    public static List<RecordedReplica> recorded(Stream<ImageVersion> versions, String region, String store) {
        List<RecordedReplica> recorded = new ArrayList<>();
        versions.forEach(version -> key(version).ifPresent(key -> {
            ImageVersionStatus.ReplicationStatus replication = version.getStatus().replicationStatus;
            long size = version.getStatus().sizeBytes == null ? 0 : version.getStatus().sizeBytes;
            Function<Integer, ReplicaKey> replica = index -> new ReplicaKey(key, region, index);
            // A data disk's size is its spec's (required there); a status naming a LUN the spec lacks names nothing.
            Map<Integer, Long> dataDiskSizes = DataDisks.of(version.getSpec()).stream()
                    .collect(Collectors.toMap(d -> d.lun, d -> d.source.sizeBytes, (a, b) -> a));
            Optional.ofNullable(replication.summary).orElse(List.of()).stream()
                    .filter(r -> region.equals(r.region) && r.replicas != null)
                    .flatMap(r -> r.replicas.stream())
                    .filter(r -> store.equals(r.store) && r.index != null)
                    .forEach(r -> {
                        recorded.add(new RecordedReplica(
                                version, replica.apply(r.index), size, r.state == RegionState.Completed));
                        // Every data disk of a recorded replica is referenced, listed in its status or not (a
                        // version on hold lists none); only one listed Completed is checked for damage.
                        dataDiskSizes.forEach((lun, diskSize) -> recorded.add(new RecordedReplica(
                                version,
                                replica.apply(r.index).dataDisk(lun),
                                diskSize,
                                Optional.ofNullable(r.dataDisks).orElse(List.of()).stream()
                                        .anyMatch(d -> lun.equals(d.lun) && d.state == RegionState.Completed))));
                    });
            Optional.ofNullable(replication.pendingRemovals).orElse(List.of()).stream()
                    .filter(r -> region.equals(r.region) && store.equals(r.store) && r.index != null)
                    .forEach(r -> {
                        recorded.add(new RecordedReplica(version, replica.apply(r.index), size, false));
                        dataDiskSizes.forEach((lun, diskSize) -> recorded.add(new RecordedReplica(
                                version, replica.apply(r.index).dataDisk(lun), diskSize, false)));
                    });
        }));
        return recorded;
    }

    private static Optional<VersionKey> key(ImageVersion version) {
        if (version.getStatus() == null
                || version.getStatus().replicationStatus == null
                || version.getStatus().replicationStatus.storagePath == null) {
            return Optional.empty();
        }
        String[] segments = version.getStatus().replicationStatus.storagePath.split("/", -1);
        if (segments.length != 4
                || !segments[0].equals(version.getMetadata().getNamespace())
                || !segments[2].equals(version.getSpec().imageDefinitionName)
                || !segments[3].equals(version.getSpec().version)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new VersionKey(segments[0], segments[1], segments[2], segments[3]));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
