package dev.imagegallery.reconciler.version;

import dev.imagegallery.api.DataDiskDigest;
import dev.imagegallery.api.GallerySpec.SoftDelete;
import dev.imagegallery.api.GalleryStatus.SoftDeletedReplica;
import dev.imagegallery.api.GalleryStatus.SoftDeletedVersion;
import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.api.ImageVersionSpec;
import dev.imagegallery.placement.PlacedReplica;
import dev.imagegallery.reconciler.DataDisks;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A deleted version as its gallery records it while soft-deleted, and the record a re-created
 * version is restored from. Only verified replicas are kept; where their objects live still comes
 * from the version's namespace, definition and number and its definition's gallery. Pure.
 */
final class SoftDeletion {
    private SoftDeletion() {}

    /**
     * The record of a version being deleted under its gallery's soft delete, or empty when it has no
     * verified replica to keep. Its times come from the version's deletion timestamp, so that a
     * cleanup run again records the same.
     */
    static Optional<SoftDeletedVersion> of(
            ImageVersion version, ReplicaRecord record, SoftDelete policy, Duration day) {
        List<SoftDeletedReplica> replicas = record.verified().entrySet().stream()
                .flatMap(region -> region.getValue().stream()
                        .filter(r -> region.getKey() != null && r.store() != null)
                        .map(r -> replica(region.getKey(), r)))
                .toList();
        if (replicas.isEmpty() || record.sizeBytes() <= 0) {
            return Optional.empty();
        }
        Instant deletedAt = Instant.parse(version.getMetadata().getDeletionTimestamp());
        SoftDeletedVersion deleted = new SoftDeletedVersion();
        deleted.imageDefinition = version.getSpec().imageDefinitionName;
        deleted.version = version.getSpec().version;
        deleted.name = version.getMetadata().getName();
        deleted.sha256 = version.getSpec().source.sha256;
        deleted.sizeBytes = record.sizeBytes();
        deleted.dataDisks = dataDisks(version.getSpec());
        deleted.deletedAt = deletedAt.toString();
        deleted.expiresAt =
                deletedAt.plus(day.multipliedBy(policy.retentionDays)).toString();
        deleted.replicas = replicas;
        return Optional.of(deleted);
    }

    /** The data disks of {@code spec} as a record keeps them, by LUN; null for none, as the record then shows none. */
    static List<DataDiskDigest> dataDisks(ImageVersionSpec spec) {
        List<DataDiskDigest> disks = DataDisks.digests(spec, DataDiskDigest::new);
        return disks.isEmpty() ? null : disks;
    }

    /** The LUNs of the record's data disks. */
    static List<Integer> luns(SoftDeletedVersion deleted) {
        return Optional.ofNullable(deleted.dataDisks).orElse(List.of()).stream()
                .map(d -> d.lun)
                .toList();
    }

    /** Bytes one of the record's replicas takes: its OS disk and data disks. */
    static long replicaBytes(SoftDeletedVersion deleted) {
        return deleted.sizeBytes
                + Optional.ofNullable(deleted.dataDisks).orElse(List.of()).stream()
                        .mapToLong(d -> d.sizeBytes)
                        .sum();
    }

    /** The replicas a restored version starts from: those of the record, as if its own status had them verified. */
    static ReplicaRecord restored(SoftDeletedVersion deleted) {
        Map<String, List<PlacedReplica>> byRegion = deleted.replicas.stream()
                .collect(Collectors.groupingBy(
                        r -> r.region,
                        LinkedHashMap::new,
                        Collectors.mapping(r -> new PlacedReplica(r.index, r.store, null), Collectors.toList())));
        return new ReplicaRecord(byRegion, byRegion, null, deleted.sizeBytes, Map.of());
    }

    private static SoftDeletedReplica replica(String region, PlacedReplica placed) {
        SoftDeletedReplica replica = new SoftDeletedReplica();
        replica.region = region;
        replica.index = placed.index();
        replica.store = placed.store();
        return replica;
    }
}
