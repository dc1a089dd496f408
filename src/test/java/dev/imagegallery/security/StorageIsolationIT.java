package dev.imagegallery.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.api.Region;
import dev.imagegallery.api.Store;
import dev.imagegallery.testing.Await;
import dev.imagegallery.testing.Edit;
import dev.imagegallery.testing.Examples;
import dev.imagegallery.testing.NginxServer;
import dev.imagegallery.testing.Source;
import dev.imagegallery.testing.StoredFiles;
import dev.imagegallery.testing.TestCluster;
import dev.imagegallery.testing.TestOperator;
import dev.imagegallery.testing.TestRegions;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stores as a tenant or an admin's mistake would try them: a forged status path, a store shrinking
 * under its replicas, two versions racing for the last room, the byte quota, and two Regions at one place.
 */
class StorageIsolationIT {

    private static final String VERSION = "ubuntu-22.04-1.0.0";
    private static final String PATH = "contoso.images/ubuntu-22.04/1.0.0";

    /** A byte quota of 3 MiB per namespace and region; the other tests stay well below it. */
    @RegisterExtension
    static final TestOperator operator =
            TestOperator.withTestSettings(Map.of("image-gallery.bytes-per-namespace-per-region", "3Mi"));

    private final KubernetesClient client = TestCluster.client();

    @TempDir
    Path tmp;

    @Test
    void aForgedStoragePathDeletesNothingOfAnotherNamespace() throws Exception {
        String region = region(
                Map.of("s", Files.createDirectory(tmp.resolve("store")).toUri().toString()));
        Path store = storeOf(region);
        Source image = Source.of(tmp.resolve("image/image.img"), 1 << 20);
        String victim = TestCluster.newNamespace("victim");
        String attacker = TestCluster.newNamespace("attacker");
        createVersion(victim, region, image, 1);
        createVersion(attacker, region, image, 1);
        Await.condition(client, ImageVersion.class, victim, VERSION, "Ready", "True", "Replicated");
        Await.condition(client, ImageVersion.class, attacker, VERSION, "Ready", "True", "Replicated");

        // A tenant allowed to write its own status points it at the victim's folder, then deletes its version.
        client.resources(ImageVersion.class)
                .inNamespace(attacker)
                .withName(VERSION)
                .subresource("status")
                .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        "{\"status\":{\"replicationStatus\":{\"storagePath\":\"" + victim + "/" + PATH + "\"}}}");
        client.resources(ImageVersion.class)
                .inNamespace(attacker)
                .withName(VERSION)
                .delete();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> client.resources(ImageVersion.class)
                                .inNamespace(attacker)
                                .withName(VERSION)
                                .get()
                        == null);

        assertThat(StoredFiles.under(store))
                .containsExactly(victim + "/" + PATH + "/0", victim + "/" + PATH + "/0.sha256");
        assertThat(Source.sha256Of(store.resolve(victim + "/" + PATH + "/0"))).isEqualTo(image.sha256());
    }

    @Test
    void aStoreShrinkingUnderItsReplicaMovesItWithoutEverLosingTheVerifiedCopy() throws Exception {
        Path first = Files.createDirectory(tmp.resolve("store-first"));
        Path second = Files.createDirectory(tmp.resolve("store-second"));
        String region = region(Map.of("first", first.toUri().toString()));
        String ns = TestCluster.newNamespace("shrink");
        try (NginxServer slow = NginxServer.forSources()) {
            slow.start();
            // Served at 1 MiB/s, so that the replacement takes a while to copy.
            Source image = slow.slowImage(3 << 20);
            createVersion(ns, region, slow.slowImageUrl(), image, 1);
            Await.condition(client, ImageVersion.class, ns, VERSION, "Ready", "True", "Replicated");

            // The admin adds a store and shrinks the first below the replica (a capacity typo, say).
            AtomicInteger fewestVerified = new AtomicInteger(Integer.MAX_VALUE);
            Edit.latest(client, client.resources(Region.class).withName(region).get(), edited -> {
                edited.getSpec().stores.get(0).capacity = "1Mi";
                edited.getSpec().stores = new ArrayList<>(edited.getSpec().stores);
                edited.getSpec().stores.add(store("second", second.toUri().toString()));
            });
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        int verified = verifiedCopies(first, ns, image) + verifiedCopies(second, ns, image);
                        fewestVerified.accumulateAndGet(verified, Math::min);
                        return StoredFiles.under(first).isEmpty() && verifiedCopies(second, ns, image) == 1;
                    });
            assertThat(fewestVerified.get())
                    .as("verified copies at the worst moment")
                    .isGreaterThanOrEqualTo(1);
            Await.condition(client, ImageVersion.class, ns, VERSION, "Ready", "True", "Replicated");
        }
    }

    @Test
    void twoVersionsRacingForTheLastRoomDoNotOvercommitTheStore() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("store-small"));
        String region = "iso-" + UUID.randomUUID().toString().substring(0, 6);
        Region created =
                TestRegions.create(client, region, Map.of("small", dir.toUri().toString()));
        // Room for one replica of the two asked for.
        Edit.latest(client, created, edited -> edited.getSpec().stores.get(0).capacity = "1536Ki");
        Source image = Source.of(tmp.resolve("image/image.img"), 1 << 20);
        String a = TestCluster.newNamespace("race-a");
        String b = TestCluster.newNamespace("race-b");
        createVersion(a, region, image, 1);
        createVersion(b, region, image, 1);

        await().atMost(Duration.ofSeconds(45)).untilAsserted(() -> {
            List<String> states = List.of(state(a), state(b));
            assertThat(states).containsExactlyInAnyOrder("Ready", "Stalled");
        });
        assertThat(StoredFiles.under(dir).stream().filter(f -> !f.endsWith(".sha256")))
                .hasSize(1);
    }

    @Test
    void theByteQuotaRefusesTheVersionThatWouldOverrunIt() throws Exception {
        String region = region(
                Map.of("s", Files.createDirectory(tmp.resolve("store")).toUri().toString()));
        String ns = TestCluster.newNamespace("bytes");
        Source image = Source.of(tmp.resolve("image/image.img"), 2 << 20);
        createVersion(ns, region, image, 1);
        Await.condition(client, ImageVersion.class, ns, VERSION, "Ready", "True", "Replicated");
        client.resource(Examples.version(
                        ns,
                        "ubuntu-22.04-1.1.0",
                        "ubuntu-22.04",
                        "1.1.0",
                        region,
                        image.path().toUri().toString(),
                        image.sha256(),
                        null,
                        List.of(Map.of("name", region))))
                .create();

        var stalled = Await.condition(
                client, ImageVersion.class, ns, "ubuntu-22.04-1.1.0", "Stalled", "True", "QuotaExceeded");
        assertThat(stalled.message).contains("image-gallery.bytes-per-namespace-per-region", region);
    }

    @Test
    void aRegionWhoseStoreOverlapsAnEarlierRegionsIsStalledAndGetsNoReplica() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("store-shared"));
        // Created in the same second, Regions are ordered by name: these names keep creation order.
        String id = UUID.randomUUID().toString().substring(0, 6);
        String earlier = region("iso-" + id + "-a", Map.of("s", dir.toUri().toString()));
        String later = region(
                "iso-" + id + "-b",
                Map.of("inside", dir.resolve("later").toUri().toString()));

        var stalled = Await.condition(client, Region.class, null, later, "Stalled", "True", "EndpointConflict");
        assertThat(stalled.message).contains("store inside", "store s of Region " + earlier);
        Await.condition(client, Region.class, null, earlier, "Ready", "True", "StoresReachable");
    }

    private String state(String ns) {
        var status = client.resources(ImageVersion.class)
                .inNamespace(ns)
                .withName(VERSION)
                .get()
                .getStatus();
        if (status == null || status.conditions == null) {
            return "None";
        }
        return status.conditions.stream()
                .filter(c -> c.status.name().equals("True")
                        && List.of("Ready", "Stalled").contains(c.type))
                .map(c -> c.type)
                .findFirst()
                .orElse("InProgress");
    }

    private static int verifiedCopies(Path store, String ns, Source image) {
        Path object = store.resolve(ns + "/" + PATH + "/0");
        Path marker = store.resolve(ns + "/" + PATH + "/0.sha256");
        try {
            return Files.exists(marker)
                            && StoredFiles.markedDigest(marker).equals(image.sha256())
                            && Files.size(object) == image.size()
                    ? 1
                    : 0;
        } catch (java.io.IOException raced) {
            return 0;
        }
    }

    private void createVersion(String ns, String region, Source image, int replicas) {
        createVersion(ns, region, image.path().toUri().toString(), image, replicas);
    }

    private void createVersion(String ns, String region, String url, Source image, int replicas) {
        Examples.applyUbuntuDefinition(client, ns);
        client.resource(Examples.version(
                        ns,
                        VERSION,
                        "ubuntu-22.04",
                        "1.0.0",
                        region,
                        url,
                        image.sha256(),
                        image.size(),
                        List.of(Map.of("name", region, "regionalReplicaCount", replicas))))
                .create();
    }

    private String region(Map<String, String> stores) {
        return region("iso-" + UUID.randomUUID().toString().substring(0, 6), stores);
    }

    private String region(String name, Map<String, String> stores) {
        TestRegions.create(client, name, stores);
        return name;
    }

    private Path storeOf(String region) {
        return Path.of(java.net.URI.create(client.resources(Region.class)
                .withName(region)
                .get()
                .getSpec()
                .stores
                .get(0)
                .endpoint));
    }

    private static Store store(String name, String endpoint) {
        Store store = new Store();
        store.name = name;
        store.endpoint = endpoint;
        return store;
    }
}
