package dev.imagegallery.reconciler.version;

import dev.imagegallery.api.ImageVersionSpec;
import dev.imagegallery.api.ImageVersionStatus;
import dev.imagegallery.api.ImageVersionStatus.RegionReplication;
import dev.imagegallery.api.ImageVersionStatus.RegionState;
import dev.imagegallery.api.ImageVersionStatus.ReplicaRemoval;
import dev.imagegallery.placement.PlacedReplica;
import dev.imagegallery.placement.PlacedVersion;
import dev.imagegallery.reconciler.PlacementInputs;
import dev.imagegallery.replication.CopyJob;
import dev.imagegallery.replication.ReplicaKey;
import dev.imagegallery.replication.VersionKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A version's replicas as its status records them, read once: where each one is, which are
 * verified, and which still wait for their deletion. Where their objects live comes from the
 * version's spec and definition ({@link VersionKey}), never from here. Pure.
 *
 * @param placed each region's recorded replicas, for regions that have some, in status order
 * @param verified the replicas recorded as copied and verified, by region
 * @param pendingRemovals the dropped replicas whose deletion is pending, as written
 * @param sizeBytes the size a replica as recorded, 0 when none is
 * @param copiedFrom what each replica is recorded as copied from, where the status says so in the form the
 *     operator writes (shown again for a replica found intact after a restart, never acted on)
 */
public record ReplicaRecord(
        Map<String, List<PlacedReplica>> placed,
        Map<String, List<PlacedReplica>> verified,
        List<ReplicaRemoval> pendingRemovals,
        long sizeBytes,
        Map<RecordedIndex, String> copiedFrom) {

    /** What an origin the operator wrote looks like: the source, or {@code <region>/<store>/<index>}. */
    private static final Pattern ORIGIN =
            Pattern.compile(CopyJob.FROM_SOURCE + "|[a-z0-9][-a-z0-9.]{0,252}/[a-z0-9][-a-z0-9]{0,62}/[0-9]{1,3}");

    /** A replica's place in the status: its region and index. */
    record RecordedIndex(String region, int index) {}

    public static ReplicaRecord of(ImageVersionStatus status) {
        Map<String, List<PlacedReplica>> placed = new LinkedHashMap<>();
        Map<String, List<PlacedReplica>> verified = new LinkedHashMap<>();
        Map<RecordedIndex, String> copiedFrom = new LinkedHashMap<>();
        var replication = Optional.ofNullable(status).map(s -> s.replicationStatus);
        for (RegionReplication region : replication.map(r -> r.summary).orElse(List.of())) {
            if (region.replicas != null && !region.replicas.isEmpty()) {
                placed.put(
                        region.region,
                        region.replicas.stream().map(ReplicaRecord::placed).toList());
                verified.put(
                        region.region,
                        region.replicas.stream()
                                .filter(r -> r.state == RegionState.Completed)
                                .map(ReplicaRecord::placed)
                                .toList());
                region.replicas.stream()
                        .filter(r -> r.copiedFrom != null
                                && r.index != null
                                && ORIGIN.matcher(r.copiedFrom).matches())
                        .forEach(r -> copiedFrom.put(new RecordedIndex(region.region, r.index), r.copiedFrom));
            }
        }
        long size = status == null || status.sizeBytes == null ? 0 : status.sizeBytes;
        return new ReplicaRecord(
                placed, verified, replication.map(r -> r.pendingRemovals).orElse(null), size, copiedFrom);
    }

    /** The version of {@code spec} as placement counts it; {@code versionKey} names it among all namespaces. */
    public PlacedVersion placedVersion(String versionKey, ImageVersionSpec spec) {
        return new PlacedVersion(versionKey, PlacementInputs.replicaBytes(spec, sizeBytes), placed);
    }

    /** Every replica on record: those of the regions, and those whose deletion is pending. */
    List<StoredReplica> all(VersionKey version, RegionCatalogue catalogue) {
        List<StoredReplica> all = stored(version, catalogue, placed);
        Optional.ofNullable(pendingRemovals)
                .orElse(List.of())
                .forEach(r -> all.add(catalogue.locate(version, r.region, new PlacedReplica(r.index, r.store, null))));
        return all;
    }

    /** What the status records each replica as copied from, where it says. */
    Map<ReplicaKey, String> copiedFrom(VersionKey version) {
        return copiedFrom.entrySet().stream()
                .collect(Collectors.toMap(
                        e -> new ReplicaKey(
                                version, e.getKey().region(), e.getKey().index()),
                        Map.Entry::getValue));
    }

    /** The replicas on record as copied and verified. */
    List<StoredReplica> verified(VersionKey version, RegionCatalogue catalogue) {
        return stored(version, catalogue, verified);
    }

    private static List<StoredReplica> stored(
            VersionKey version, RegionCatalogue catalogue, Map<String, List<PlacedReplica>> byRegion) {
        List<StoredReplica> stored = new ArrayList<>();
        byRegion.forEach((region, replicas) -> replicas.forEach(r -> stored.add(catalogue.locate(version, region, r))));
        return stored;
    }

    private static PlacedReplica placed(ImageVersionStatus.Replica recorded) {
        return new PlacedReplica(recorded.index, recorded.store, recorded.zone);
    }
}
