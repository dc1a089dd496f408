package dev.imagegallery.reconciler.definition;

import dev.imagegallery.api.ImageDefinitionStatus.LatestDataDisk;
import dev.imagegallery.api.ImageDefinitionStatus.LatestInRegion;
import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.api.ImageVersionSpec.TargetRegion;
import dev.imagegallery.api.ImageVersionStatus.RegionReplication;
import dev.imagegallery.api.ImageVersionStatus.RegionState;
import dev.imagegallery.api.ImageVersionStatus.Replica;
import dev.imagegallery.api.Store;
import dev.imagegallery.reconciler.DataDisks;
import dev.imagegallery.replication.DefinitionKey;
import dev.imagegallery.replication.ReplicaKey;
import dev.imagegallery.replication.VersionKey;
import dev.imagegallery.status.Messages;
import dev.imagegallery.stores.ReplicaUrls;
import dev.imagegallery.validation.LatestVersions;
import dev.imagegallery.validation.SemanticVersion;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * What consumers of a definition are given, from its versions as their status stands: the latest
 * version of each region with the addresses of its replicas there, and which version each store's
 * moving {@code latest} tag names. Only replicas Completed in a region count, and only versions not
 * excluded from latest there. Pure.
 */
final class LatestReplicas {
    private LatestReplicas() {}

    /** A store of a region. */
    record RegionStore(String region, String store) {}

    /** The version a store's moving tag names: the replica of it in that store. */
    record TagTarget(String version, int replicaIndex, String sha256, long sizeBytes) {}

    /** What latest needs to know of a version: where it is Completed, and where it is excluded. */
    static LatestVersions.Candidate candidate(ImageVersion version) {
        Map<String, Boolean> excludedIn = new HashMap<>();
        Map<String, Boolean> completedIn = new HashMap<>();
        for (TargetRegion target : version.getSpec().publishingProfile.targetRegions) {
            if (target.excludeFromLatest != null) {
                excludedIn.put(target.name, target.excludeFromLatest);
            }
            completedIn.put(target.name, region(version, target.name).isPresent());
        }
        return new LatestVersions.Candidate(
                SemanticVersion.parse(version.getSpec().version),
                Boolean.TRUE.equals(version.getSpec().publishingProfile.excludeFromLatest),
                excludedIn,
                completedIn);
    }

    /**
     * One entry per region that has a latest version, in region order, with the addresses of that
     * version's Completed replicas there, by replica index (only the first of each region, when all
     * of them would exceed {@link Messages#ADDRESS_BUDGET_BYTES}).
     *
     * @param byRegion each region's latest version, as {@link LatestVersions} found it
     * @param stores the catalogue's stores: an address is listed only if it is the one its store gives
     *     the replica ({@link ReplicaUrls#isAddressOf}), whatever a status says
     */
    static List<LatestInRegion> entries(
            DefinitionKey definition,
            Map<String, String> byRegion,
            Collection<ImageVersion> versions,
            Function<RegionStore, Optional<Store>> stores) {
        List<LatestInRegion> entries = new TreeMap<>(byRegion)
                .entrySet().stream()
                        .flatMap(latest -> versions.stream()
                                .filter(v -> v.getSpec().version.equals(latest.getValue()))
                                .flatMap(v -> region(v, latest.getKey())
                                        .map(r -> entry(definition.version(latest.getValue()), v, r, stores))
                                        .stream())
                                .limit(1))
                        .toList();
        if (Messages.overAddressBudget(entries.stream()
                .flatMap(e -> Optional.ofNullable(e.urls).stream().flatMap(List::stream)))) {
            entries.stream().filter(e -> e.urls != null).forEach(e -> e.urls = e.urls.subList(0, 1));
        }
        return entries;
    }

    /**
     * Which version each store's {@code latest} tag names: the highest version that may be latest in
     * the store's region and has a Completed replica in the store. Stores holding no such version have
     * no entry.
     */
    static Map<RegionStore, TagTarget> tagTargets(Collection<ImageVersion> versions) {
        Map<RegionStore, TagTarget> targets = new HashMap<>();
        record Candidacy(ImageVersion version, LatestVersions.Candidate candidate) {}
        // Each version number parsed once, not once per comparison of the sort.
        versions.stream()
                .map(v -> new Candidacy(v, candidate(v)))
                .sorted(Comparator.comparing(c -> c.candidate().version()))
                .forEach(candidacy -> {
                    ImageVersion version = candidacy.version();
                    LatestVersions.Candidate candidate = candidacy.candidate();
                    version.getSpec().publishingProfile.targetRegions.stream()
                            .filter(t -> candidate.latestCandidateIn(t.name))
                            .flatMap(t -> region(version, t.name).stream())
                            .forEach(region -> completed(region)
                                    .forEach(replica -> targets.put(
                                            new RegionStore(region.region, replica.store),
                                            new TagTarget(
                                                    version.getSpec().version,
                                                    replica.index,
                                                    version.getSpec().source.sha256,
                                                    version.getStatus().sizeBytes))));
                });
        return targets;
    }

    /** Every store any replica of the versions is recorded on, in whatever state. */
    static Stream<RegionStore> storesHolding(Collection<ImageVersion> versions) {
        return versions.stream()
                .filter(v -> v.getStatus() != null && v.getStatus().replicationStatus != null)
                .flatMap(v -> Optional.ofNullable(v.getStatus().replicationStatus.summary).stream()
                        .flatMap(List::stream))
                .filter(r -> r.replicas != null)
                .flatMap(r -> r.replicas.stream().map(replica -> new RegionStore(r.region, replica.store)))
                .distinct();
    }

    /** The version's replication in {@code region}, when it is Completed there. */
    private static Optional<RegionReplication> region(ImageVersion version, String region) {
        var replication = version.getStatus() == null ? null : version.getStatus().replicationStatus;
        if (replication == null || replication.summary == null || version.getStatus().sizeBytes == null) {
            return Optional.empty();
        }
        return replication.summary.stream()
                .filter(r -> r.region.equals(region) && r.state == RegionState.Completed)
                .findFirst();
    }

    private static Stream<Replica> completed(RegionReplication region) {
        return Optional.ofNullable(region.replicas).stream()
                .flatMap(List::stream)
                .filter(r -> r.state == RegionState.Completed && r.index != null && r.store != null);
    }

    private static LatestInRegion entry(
            VersionKey key,
            ImageVersion version,
            RegionReplication region,
            Function<RegionStore, Optional<Store>> stores) {
        LatestInRegion entry = new LatestInRegion();
        entry.region = region.region;
        entry.version = version.getSpec().version;
        entry.imageVersion = version.getMetadata().getName();
        entry.sha256 = version.getSpec().source.sha256;
        entry.sizeBytes = version.getStatus().sizeBytes;
        List<String> urls = urls(key, region, stores, ReplicaKey.OS_DISK, r -> Optional.ofNullable(r.url));
        entry.urls = urls.isEmpty() ? null : urls;
        List<LatestDataDisk> dataDisks = DataDisks.digests(version.getSpec(), LatestDataDisk::new);
        for (LatestDataDisk disk : dataDisks) {
            List<String> diskUrls = urls(
                    key,
                    region,
                    stores,
                    disk.lun,
                    r -> Optional.ofNullable(r.dataDisks)
                            .flatMap(copies -> copies.stream()
                                    .filter(copy -> disk.lun.equals(copy.lun))
                                    .findFirst())
                            .map(copy -> copy.url));
            disk.urls = diskUrls.isEmpty() ? null : diskUrls;
        }
        entry.dataDisks = dataDisks.isEmpty() ? null : dataDisks;
        return entry;
    }

    /**
     * The addresses of disk {@code lun} in the region's Completed replicas, by index: those the status
     * records that are the store's address of that disk (a status a tenant may edit shows no other).
     */
    private static List<String> urls(
            VersionKey key,
            RegionReplication region,
            Function<RegionStore, Optional<Store>> stores,
            int lun,
            Function<Replica, Optional<String>> url) {
        return completed(region)
                .sorted(Comparator.comparing(r -> r.index))
                .flatMap(r -> url
                        .apply(r)
                        .filter(address -> stores.apply(new RegionStore(region.region, r.store))
                                .map(store -> ReplicaUrls.isAddressOf(
                                        store, new ReplicaKey(key, region.region, r.index, lun), address))
                                .orElse(false))
                        .stream())
                .toList();
    }
}
