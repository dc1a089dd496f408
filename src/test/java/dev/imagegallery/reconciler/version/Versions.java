package dev.imagegallery.reconciler.version;

import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.api.ImageVersionSpec;
import dev.imagegallery.api.ImageVersionStatus;
import dev.imagegallery.api.ImageVersionStatus.RegionReplication;
import dev.imagegallery.api.ImageVersionStatus.RegionState;
import dev.imagegallery.api.ImageVersionStatus.ReplicationStatus;
import dev.imagegallery.api.Region;
import dev.imagegallery.api.RegionSpec;
import dev.imagegallery.api.Store;
import dev.imagegallery.reconciler.Keys;
import dev.imagegallery.replication.VersionKey;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Versions, regions and observations as the version controller's pure steps take them, without a cluster. */
final class Versions {
    static final String SHA256 = "a".repeat(64);

    private Versions() {}

    /** Version {@code name} (number 1.0.0 of definition "ubuntu") in namespace "team", targeting {@code regions} once each. */
    static ImageVersion version(String name, String createdAt, String... regions) {
        ImageVersion version = new ImageVersion();
        version.setMetadata(new ObjectMetaBuilder()
                .withName(name)
                .withNamespace("team")
                .withGeneration(1L)
                .withCreationTimestamp(createdAt)
                .build());
        ImageVersionSpec spec = new ImageVersionSpec();
        spec.imageDefinitionName = "ubuntu";
        spec.version = "1.0.0";
        spec.sourceRegion = regions[0];
        spec.source = new ImageVersionSpec.Source();
        spec.source.url = "https://images.example/ubuntu.img";
        spec.source.sha256 = SHA256;
        spec.publishingProfile = new ImageVersionSpec.PublishingProfile();
        spec.publishingProfile.targetRegions = new ArrayList<>(Arrays.stream(regions)
                .map(r -> {
                    ImageVersionSpec.TargetRegion target = new ImageVersionSpec.TargetRegion();
                    target.name = r;
                    return target;
                })
                .toList());
        version.setSpec(spec);
        return version;
    }

    /** A region with one store per name, each at file:///stores/region/store. */
    /** Data disk {@code lun} of {@code sizeBytes}, from an address of its own, with the digest {@link #SHA256}. */
    static ImageVersionSpec.DataDisk dataDisk(int lun, long sizeBytes) {
        ImageVersionSpec.DataDisk disk = new ImageVersionSpec.DataDisk();
        disk.lun = lun;
        disk.source = new ImageVersionSpec.Source();
        disk.source.url = "https://images.example.com/lun" + lun + ".img";
        disk.source.sha256 = SHA256;
        disk.source.sizeBytes = sizeBytes;
        return disk;
    }

    static Region region(String name, String... stores) {
        Region region = new Region();
        region.setMetadata(new ObjectMetaBuilder()
                .withName(name)
                .withCreationTimestamp("2026-01-01T00:00:00Z")
                .build());
        region.setSpec(new RegionSpec());
        region.getSpec().stores = Arrays.stream(stores)
                .map(s -> {
                    Store store = new Store();
                    store.name = s;
                    store.endpoint = "file:///stores/" + name + "/" + s;
                    return store;
                })
                .toList();
        return region;
    }

    /** A status that records one Completed replica, index 0 on {@code store}, in each of {@code regions}. */
    static ImageVersionStatus recording(String store, String... regions) {
        ImageVersionStatus status = new ImageVersionStatus();
        status.replicationStatus = new ReplicationStatus();
        status.replicationStatus.summary = Arrays.stream(regions)
                .map(r -> {
                    RegionReplication region = new RegionReplication();
                    region.region = r;
                    ImageVersionStatus.Replica replica = new ImageVersionStatus.Replica();
                    replica.index = 0;
                    replica.store = store;
                    replica.state = RegionState.Completed;
                    region.replicas = List.of(replica);
                    return region;
                })
                .toList();
        return status;
    }

    /** What a reconcile of {@code version} reads when it is alone in its namespace and its definition exists. */
    static ObservedVersion observed(ImageVersion version, List<Region> regions) {
        return observed(version, regions, List.of(version), List.of(version));
    }

    static ObservedVersion observed(
            ImageVersion version,
            List<Region> regions,
            List<ImageVersion> sameNumber,
            List<ImageVersion> sameNamespace) {
        VersionKey key = new VersionKey("team", "gallery", "ubuntu", version.getSpec().version);
        Map<String, Collection<ImageVersion>> byTarget = new java.util.HashMap<>();
        version.getSpec().publishingProfile.targetRegions.forEach(t -> byTarget.put(t.name, sameNamespace));
        return new ObservedVersion(
                version,
                Optional.of(key),
                ReplicaRecord.of(version.getStatus()),
                RegionCatalogue.of(regions),
                sameNumber.stream().map(Keys::claimant).toList(),
                byTarget,
                Optional.empty(),
                Optional.empty());
    }
}
