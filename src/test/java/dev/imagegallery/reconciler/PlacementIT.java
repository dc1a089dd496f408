package dev.imagegallery.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.api.ImageVersionStatus.RegionReplication;
import dev.imagegallery.api.Region;
import dev.imagegallery.api.RegionStatus.StoreUsage;
import dev.imagegallery.testing.Await;
import dev.imagegallery.testing.Examples;
import dev.imagegallery.testing.TestCluster;
import dev.imagegallery.testing.TestOperator;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Where replicas go, as users see it: in the version's status per region, and as load in the regions' status. */
class PlacementIT {
    private static final long SIZE = 4194304;

    @RegisterExtension
    static final TestOperator operator = TestOperator.withTestSettings();

    private final KubernetesClient client = TestCluster.client();

    @TempDir
    Path tmp;

    @Test
    void aVersionTargetingThreeRegionsShowsItsReplicasAndTheRegionsShowTheLoad() throws Exception {
        String ns = TestCluster.newNamespace("placement");
        String id = UUID.randomUUID().toString().substring(0, 6);
        String zoned = "pl-" + id + "-zoned";
        String flat = "pl-" + id + "-flat";
        String small = "pl-" + id + "-small";
        createRegion(zoned, List.of("1", "2", "3"), Map.of("s1", "1", "s2", "2", "s3", "3", "s4", "1"), null);
        createRegion(flat, List.of(), Map.of("a", "", "b", ""), null);
        createRegion(small, List.of(), Map.of("tiny", ""), "1Mi");
        client.resource(Examples.get("Gallery", "contoso.images", ns)).create();
        client.resource(Examples.get("ImageDefinition", "ubuntu-22.04", ns)).create();
        GenericKubernetesResource version = Examples.get("ImageVersion", "ubuntu-22.04-1.0.0", ns);
        Examples.set(version, "spec.sourceRegion", zoned);
        Examples.set(
                version,
                "spec.publishingProfile.targetRegions",
                List.of(
                        Map.of("name", zoned, "regionalReplicaCount", 5),
                        Map.of("name", flat, "regionalReplicaCount", 2),
                        Map.of("name", small)));
        client.resource(version).create();

        var stalled = Await.condition(
                client, ImageVersion.class, ns, "ubuntu-22.04-1.0.0", "Stalled", "True", "RegionFailed");
        assertThat(stalled.message).startsWith(small + ": ").contains("4194304");
        Map<String, RegionReplication> regions = client
                .resources(ImageVersion.class)
                .inNamespace(ns)
                .withName("ubuntu-22.04-1.0.0")
                .get()
                .getStatus()
                .replicationStatus
                .summary
                .stream()
                .collect(Collectors.toMap(r -> r.region, r -> r));

        assertThat(regions.get(zoned).replicas).hasSize(5);
        Map<String, Long> perZone =
                regions.get(zoned).replicas.stream().collect(Collectors.groupingBy(r -> r.zone, Collectors.counting()));
        assertThat(perZone).containsOnlyKeys("1", "2", "3");
        assertThat(perZone.values().stream().mapToLong(Long::longValue).max().getAsLong()
                        - perZone.values().stream()
                                .mapToLong(Long::longValue)
                                .min()
                                .getAsLong())
                .as("zone spread")
                .isLessThanOrEqualTo(1);
        assertThat(regions.get(flat).replicas).extracting(r -> r.store).containsExactlyInAnyOrder("a", "b");
        assertThat(regions.get(flat).state.name()).isIn("Replicating", "Completed");
        assertThat(regions.get(small).state.name()).isEqualTo("Failed");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<StoreUsage> zonedLoad =
                    client.resources(Region.class).withName(zoned).get().getStatus().stores;
            assertThat(zonedLoad.stream().mapToInt(s -> s.replicas).sum()).isEqualTo(5);
            assertThat(zonedLoad.stream().mapToLong(s -> s.bytesUsed).sum()).isEqualTo(5 * SIZE);
            assertThat(client.resources(Region.class).withName(flat).get().getStatus().stores)
                    .extracting(s -> s.replicas, s -> s.bytesUsed)
                    .containsOnly(org.assertj.core.groups.Tuple.tuple(1, SIZE));
            assertThat(client.resources(Region.class).withName(small).get().getStatus().stores)
                    .extracting(s -> s.replicas, s -> s.capacityBytes)
                    .containsOnly(org.assertj.core.groups.Tuple.tuple(0, 1048576L));
        });
    }

    private void createRegion(String name, List<String> zones, Map<String, String> storeZones, String capacity)
            throws Exception {
        StringBuilder yaml = new StringBuilder(
                "apiVersion: imagegallery.dev/v1alpha1\nkind: Region\nmetadata:\n  name: " + name + "\nspec:\n");
        if (!zones.isEmpty()) {
            yaml.append("  zones: [")
                    .append(zones.stream().map(z -> "\"" + z + "\"").collect(Collectors.joining(",")))
                    .append("]\n");
        }
        yaml.append("  stores:\n");
        for (var store : storeZones.entrySet()) {
            Path dir = Files.createDirectory(tmp.resolve("store-" + store.getKey()));
            yaml.append("    - name: ")
                    .append(store.getKey())
                    .append("\n      endpoint: ")
                    .append(dir.toUri())
                    .append("\n");
            if (!store.getValue().isEmpty()) {
                yaml.append("      zone: \"").append(store.getValue()).append("\"\n");
            }
            if (capacity != null) {
                yaml.append("      capacity: \"").append(capacity).append("\"\n");
            }
        }
        client.resource(client.getKubernetesSerialization().unmarshal(yaml.toString(), GenericKubernetesResource.class))
                .create();
    }
}
