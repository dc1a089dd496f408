package dev.imagegallery.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.imagegallery.api.Condition;
import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.api.ImageVersionStatus.RegionReplication;
import dev.imagegallery.api.ImageVersionStatus.RegionState;
import dev.imagegallery.testing.Await;
import dev.imagegallery.testing.Examples;
import dev.imagegallery.testing.Source;
import dev.imagegallery.testing.StoredFiles;
import dev.imagegallery.testing.TestCluster;
import dev.imagegallery.testing.TestOperator;
import dev.imagegallery.testing.TestRegions;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The largest legal version failing everywhere still has a status the API server stores: 1,000
 * replicas in 10 regions, a source URL of about 2 KiB that every failure text repeats, and a wrong
 * digest, so that every copy fails. Without the summaries and the 1 KiB bound, the status grows past
 * what a condition may hold and every status write after the first failures is refused.
 */
class BoundedStatusIT {
    private static final int REGIONS = 10;
    private static final int REPLICAS_PER_REGION = 100;
    private static final int STATUS_BOUND = 256 * 1024;
    private static final int MESSAGE_BOUND = 1024;
    private static final String NAME = "ubuntu-22.04-1.0.0";

    /** 100 replicas a region, and one attempt per copy: every copy fails the same way, retrying would only take longer. */
    @RegisterExtension
    static final TestOperator operator = TestOperator.withTestSettings(Map.of(
            "image-gallery.max-replicas-per-region",
            String.valueOf(REPLICAS_PER_REGION),
            "image-gallery.replication.max-attempts",
            "1"));

    private final KubernetesClient client = TestCluster.client();

    /** The source and the stores. */
    @TempDir
    Path root;

    private String namespace;
    private final List<String> regions = new ArrayList<>();

    @Test
    void theLargestVersionFailingInEveryRegionKeepsAStatusUnder256KiBThatTheApiServerAccepts() throws Exception {
        namespace = TestCluster.newNamespace("bounded-status");
        String id = UUID.randomUUID().toString().substring(0, 6);
        Source source = Source.of(deeplyNested().resolve("image.img"), 1024);
        String url = source.path().toUri().toString();
        assertThat(url.length()).as("source URL length").isBetween(1900, 2048);
        List<Path> stores = new ArrayList<>();
        List<Map<String, Object>> targets = new ArrayList<>();
        for (int i = 0; i < REGIONS; i++) {
            Path store = Files.createDirectories(root.resolve("stores/" + i));
            stores.add(store);
            regions.add("bs-" + id + "-" + i);
            TestRegions.create(client, regions.get(i), Map.of("s", store.toUri().toString()));
            targets.add(Map.of("name", regions.get(i), "regionalReplicaCount", REPLICAS_PER_REGION));
        }
        client.resource(Examples.get("Gallery", "contoso.images", namespace)).create();
        client.resource(Examples.get("ImageDefinition", "ubuntu-22.04", namespace))
                .create();
        client.resource(Examples.version(
                        namespace,
                        NAME,
                        "ubuntu-22.04",
                        "1.0.0",
                        regions.get(0),
                        url,
                        "0".repeat(64),
                        source.size(),
                        targets))
                .create();
        long started = System.nanoTime();

        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    ImageVersion version = version();
                    assertThat(version.getStatus()).as("status").isNotNull();
                    assertThat(version.getStatus().observedGeneration)
                            .as("status accepted for the current generation")
                            .isEqualTo(version.getMetadata().getGeneration());
                    assertThat(version.getStatus().replicationStatus.summary)
                            .hasSize(REGIONS)
                            .allSatisfy(region -> {
                                assertThat(region.state)
                                        .as("state of %s", region.region)
                                        .isEqualTo(RegionState.Failed);
                                assertThat(region.replicas)
                                        .hasSize(REPLICAS_PER_REGION)
                                        .allMatch(r -> r.state == RegionState.Failed, "every replica Failed");
                            });
                });
        System.out.printf(
                "BoundedStatusIT: %d copies failed in %.1f s%n",
                REGIONS * REPLICAS_PER_REGION, (System.nanoTime() - started) / 1e9);

        Condition stalled =
                Await.condition(client, ImageVersion.class, namespace, NAME, "Stalled", "True", "RegionFailed");
        assertThat(stalled.message)
                .startsWith(REGIONS + " of " + REGIONS + " target regions failed: " + regions.get(0) + ", ");
        ImageVersion version = version();
        int statusBytes = Serialization.asJson(
                        client.genericKubernetesResources("imagegallery.dev/v1alpha1", "ImageVersion")
                                .inNamespace(namespace)
                                .withName(NAME)
                                .get()
                                .getAdditionalProperties()
                                .get("status"))
                .getBytes(StandardCharsets.UTF_8)
                .length;
        System.out.printf(
                "BoundedStatusIT: status of %d replicas in %d failed regions: %d bytes (%.1f KiB)%n",
                REGIONS * REPLICAS_PER_REGION, REGIONS, statusBytes, statusBytes / 1024.0);
        assertThat(statusBytes).as("status size in bytes").isLessThan(STATUS_BOUND);
        assertThat(version.getStatus().conditions)
                .allSatisfy(c ->
                        assertThat(bytes(c.message)).as("%s message", c.type).isLessThanOrEqualTo(MESSAGE_BOUND));
        for (RegionReplication region : version.getStatus().replicationStatus.summary) {
            assertThat(bytes(region.details)).as("details of %s", region.region).isLessThanOrEqualTo(MESSAGE_BOUND);
            // The source is read once, by replica 0 of the source region; the others fail with it without reading it.
            String first = region.region.equals(regions.get(0))
                    ? "replica 0 on store s failed after 1 attempts: "
                    : "replica 0 on store s: not copied, as the source failed for replica 0 of region " + regions.get(0)
                            + ": ";
            assertThat(region.details)
                    .as("details of %s", region.region)
                    .startsWith(REPLICAS_PER_REGION + " of " + REPLICAS_PER_REGION
                            + " replicas failed: DigestMismatch ×" + REPLICAS_PER_REGION + "; first: " + first);
        }
        for (Path store : stores) {
            assertThat(StoredFiles.under(store)).as("nothing left in %s", store).isEmpty();
        }
    }

    /** Ten directories of 190 characters below the root: a legal path whose URL is about 2 KiB long. */
    private Path deeplyNested() throws IOException {
        Path dir = root.resolve("source");
        for (int i = 0; i < 10; i++) {
            dir = dir.resolve(String.valueOf((char) ('a' + i)).repeat(190));
        }
        return Files.createDirectories(dir);
    }

    private ImageVersion version() {
        return client.resources(ImageVersion.class)
                .inNamespace(namespace)
                .withName(NAME)
                .get();
    }

    private static int bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
