package dev.imagegallery.reconciler.definition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegallery.api.ImageDefinitionStatus.LatestInRegion;
import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.api.ImageVersionSpec;
import dev.imagegallery.api.ImageVersionStatus;
import dev.imagegallery.api.ImageVersionStatus.RegionReplication;
import dev.imagegallery.api.ImageVersionStatus.RegionState;
import dev.imagegallery.api.ImageVersionStatus.Replica;
import dev.imagegallery.api.Store;
import dev.imagegallery.reconciler.definition.LatestReplicas.RegionStore;
import dev.imagegallery.reconciler.definition.LatestReplicas.TagTarget;
import dev.imagegallery.replication.DefinitionKey;
import dev.imagegallery.validation.LatestVersions;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LatestReplicasTest {
    private static final String SHA_OLD = "1".repeat(64);
    private static final String SHA_NEW = "2".repeat(64);

    @Test
    void eachRegionListsItsLatestVersionWithTheAddressesOfItsCompletedReplicasByIndex() {
        ImageVersion old = version("ubuntu-1-0-0", "1.0.0", SHA_OLD);
        completed(old, "west", replica(1, "s2", RegionState.Completed), replica(0, "s1", RegionState.Completed));
        completed(old, "east", replica(0, "e1", RegionState.Completed));
        ImageVersion newer = version("ubuntu-1-1-0", "1.1.0", SHA_NEW);
        completed(newer, "west", replica(0, "s1", RegionState.Completed));
        replicating(newer, "east", replica(0, "e1", RegionState.Replicating));
        List<ImageVersion> versions = List.of(old, newer);

        List<LatestInRegion> latest = entries(versions);

        assertThat(latest)
                .extracting(e -> e.region, e -> e.version, e -> e.imageVersion, e -> e.sha256, e -> e.urls)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "east",
                                "1.0.0",
                                "ubuntu-1-0-0",
                                SHA_OLD,
                                List.of("https://e1/team/main/ubuntu/1.0.0/0")),
                        org.assertj.core.groups.Tuple.tuple(
                                "west",
                                "1.1.0",
                                "ubuntu-1-1-0",
                                SHA_NEW,
                                List.of("https://s1/team/main/ubuntu/1.1.0/0")));
        assertThat(latest.get(1).sizeBytes).isEqualTo(1024L);
    }

    @Test
    void anAddressThatIsNotTheOneItsStoreGivesTheReplicaIsNotListed() {
        ImageVersion version = version("ubuntu-1-0-0", "1.0.0", SHA_OLD);
        completed(version, "west", replica(0, "s1", RegionState.Completed), replica(1, "s2", RegionState.Completed));
        // As a tenant allowed to edit its versions' status might write it.
        version.getStatus().replicationStatus.summary.get(0).replicas.get(1).url = "https://attacker.example/disk.img";

        assertThat(entries(List.of(version)))
                .singleElement()
                .satisfies(entry -> assertThat(entry.urls).containsExactly("https://s1/team/main/ubuntu/1.0.0/0"));
    }

    @Test
    void aStoresTagNamesTheHighestVersionItHoldsThatMayBeLatestInItsRegion() {
        ImageVersion old = version("ubuntu-1-0-0", "1.0.0", SHA_OLD);
        completed(old, "west", replica(0, "s1", RegionState.Completed), replica(1, "s2", RegionState.Completed));
        ImageVersion newer = version("ubuntu-1-1-0", "1.1.0", SHA_NEW);
        completed(newer, "west", replica(0, "s1", RegionState.Completed));
        ImageVersion excluded = version("ubuntu-2-0-0", "2.0.0", SHA_NEW);
        excluded.getSpec().publishingProfile.excludeFromLatest = true;
        completed(excluded, "west", replica(0, "s1", RegionState.Completed), replica(1, "s2", RegionState.Completed));

        Map<RegionStore, TagTarget> targets = LatestReplicas.tagTargets(List.of(excluded, newer, old));

        assertThat(targets)
                .containsOnly(
                        Map.entry(new RegionStore("west", "s1"), new TagTarget("1.1.0", 0, SHA_NEW, 1024)),
                        Map.entry(new RegionStore("west", "s2"), new TagTarget("1.0.0", 1, SHA_OLD, 1024)));
    }

    @Test
    void aVersionStillReplicatingInARegionNamesNoTagThere() {
        ImageVersion version = version("ubuntu-1-0-0", "1.0.0", SHA_OLD);
        replicating(
                version, "west", replica(0, "s1", RegionState.Completed), replica(1, "s2", RegionState.Replicating));

        assertThat(LatestReplicas.tagTargets(List.of(version))).isEmpty();
        assertThat(LatestReplicas.storesHolding(List.of(version)))
                .containsExactly(new RegionStore("west", "s1"), new RegionStore("west", "s2"));
    }

    /** The entries of the versions' definition team/main/ubuntu, every store at https://<store name>. */
    private static List<LatestInRegion> entries(List<ImageVersion> versions) {
        return LatestReplicas.entries(
                new DefinitionKey("team", "main", "ubuntu"),
                LatestVersions.of(
                                versions.stream().map(LatestReplicas::candidate).toList())
                        .byRegion(),
                versions,
                place -> {
                    Store store = new Store();
                    store.name = place.store();
                    store.endpoint = "https://" + place.store();
                    return Optional.of(store);
                });
    }

    private static ImageVersion version(String name, String number, String sha256) {
        ImageVersion version = new ImageVersion();
        version.setMetadata(
                new ObjectMetaBuilder().withName(name).withNamespace("team").build());
        ImageVersionSpec spec = new ImageVersionSpec();
        spec.version = number;
        spec.source = new ImageVersionSpec.Source();
        spec.source.sha256 = sha256;
        spec.publishingProfile = new ImageVersionSpec.PublishingProfile();
        spec.publishingProfile.targetRegions = new ArrayList<>();
        version.setSpec(spec);
        version.setStatus(new ImageVersionStatus());
        version.getStatus().sizeBytes = 1024L;
        version.getStatus().replicationStatus = new ImageVersionStatus.ReplicationStatus();
        version.getStatus().replicationStatus.summary = new ArrayList<>();
        return version;
    }

    private static void completed(ImageVersion version, String region, Replica... replicas) {
        add(version, region, RegionState.Completed, replicas);
    }

    private static void replicating(ImageVersion version, String region, Replica... replicas) {
        add(version, region, RegionState.Replicating, replicas);
    }

    private static void add(ImageVersion version, String region, RegionState state, Replica... replicas) {
        ImageVersionSpec.TargetRegion target = new ImageVersionSpec.TargetRegion();
        target.name = region;
        version.getSpec().publishingProfile.targetRegions.add(target);
        RegionReplication replication = new RegionReplication();
        replication.region = region;
        replication.state = state;
        replication.replicas = List.of(replicas);
        for (Replica replica : replicas) {
            if (replica.state == RegionState.Completed) {
                replica.url = "https://" + replica.store + "/team/main/ubuntu/" + version.getSpec().version + "/"
                        + replica.index;
            }
        }
        version.getStatus().replicationStatus.summary.add(replication);
    }

    private static Replica replica(int index, String store, RegionState state) {
        Replica replica = new Replica();
        replica.index = index;
        replica.store = store;
        replica.state = state;
        return replica;
    }
}
