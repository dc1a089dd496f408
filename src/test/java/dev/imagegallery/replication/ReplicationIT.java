package dev.imagegallery.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.imagegallery.api.ImageDefinition;
import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.api.ImageVersionStatus.RegionReplication;
import dev.imagegallery.api.ImageVersionStatus.RegionState;
import dev.imagegallery.reconciler.version.ReplicationService;
import dev.imagegallery.testing.Await;
import dev.imagegallery.testing.ClusterCleanup;
import dev.imagegallery.testing.Edit;
import dev.imagegallery.testing.Examples;
import dev.imagegallery.testing.NginxServer;
import dev.imagegallery.testing.Source;
import dev.imagegallery.testing.StoredFiles;
import dev.imagegallery.testing.TestCluster;
import dev.imagegallery.testing.TestOperator;
import dev.imagegallery.testing.TestRegions;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replication as a user sees it, against real stores: directories and an nginx accepting WebDAV
 * writes. Versions become Ready only once every store holds the verified bytes; faults fail only
 * their region, leave nothing partial behind, and the retry annotation recovers a repaired store.
 */
class ReplicationIT {
    private static final NginxServer STORE_SERVER = new NginxServer();
    private static final NginxServer SOURCE_SERVER = NginxServer.forSources();

    @RegisterExtension
    static final TestOperator operator = TestOperator.withTestSettings();

    private final KubernetesClient client = TestCluster.client();

    @TempDir
    Path tmp;

    @BeforeAll
    static void startServers() {
        STORE_SERVER.start();
        SOURCE_SERVER.start();
    }

    @AfterAll
    static void stopServers() {
        STORE_SERVER.close();
        SOURCE_SERVER.close();
    }

    @Test
    void aVersionInThreeRegionsIsReadyOnlyOnceEveryStoreHoldsTheSourceBytes() throws Exception {
        String ns = TestCluster.newNamespace("replication");
        String id = id();
        Path storeA1 = Files.createDirectory(tmp.resolve("store-a1"));
        Path storeA2 = Files.createDirectory(tmp.resolve("store-a2"));
        Path storeC = Files.createDirectory(tmp.resolve("store-c"));
        TestRegions.create(
                client,
                "rp-" + id + "-a",
                Map.of("a1", storeA1.toUri().toString(), "a2", storeA2.toUri().toString()));
        TestRegions.create(
                client,
                "rp-" + id + "-b",
                Map.of("web", STORE_SERVER.uri("/" + id + "/").toString()));
        TestRegions.create(client, "rp-" + id + "-c", Map.of("c", storeC.toUri().toString()));
        // Served over HTTP without a declared size: the operator reads the size with HEAD.
        Source source = Source.of(SOURCE_SERVER.root().resolve(id + ".img"), 3 << 20);
        createVersion(
                ns,
                "rp-" + id + "-a",
                SOURCE_SERVER.uri("/" + id + ".img").toString(),
                source.sha256(),
                null,
                List.of(
                        Map.of("name", "rp-" + id + "-a", "regionalReplicaCount", 2),
                        Map.of("name", "rp-" + id + "-b"),
                        Map.of("name", "rp-" + id + "-c")));

        Await.condition(client, ImageVersion.class, ns, "ubuntu-22.04-1.0.0", "Ready", "True", "Replicated");
        ImageVersion version = version(ns);
        assertThat(version.getStatus().sizeBytes).isEqualTo(3L << 20);
        assertThat(version.getStatus().replicationStatus.regions).isEqualTo("3/3");
        String path = version.getStatus().replicationStatus.storagePath;
        assertThat(path).isEqualTo(ns + "/contoso.images/ubuntu-22.04/1.0.0");
        assertThat(version.getStatus().replicationStatus.summary).allSatisfy(region -> {
            assertThat(region.state).isEqualTo(RegionState.Completed);
            assertThat(region.progress).isEqualTo(100);
        });
        Map<String, Path> storeRoots =
                Map.of("a1", storeA1, "a2", storeA2, "web", STORE_SERVER.root().resolve(id), "c", storeC);
        for (RegionReplication region : version.getStatus().replicationStatus.summary) {
            for (var replica : region.replicas) {
                Path object = storeRoots.get(replica.store).resolve(path + "/" + replica.index);
                assertThat(Source.sha256Of(object))
                        .as("replica %d of %s", replica.index, region.region)
                        .isEqualTo(source.sha256());
            }
        }
        assertThat(StoredFiles.under(storeA1))
                .as("one replica per store, nothing staged left")
                .hasSize(2)
                .allMatch(f -> !f.endsWith(".partial"));
        assertThat(StoredFiles.under(storeA2)).hasSize(2).allMatch(f -> !f.endsWith(".partial"));
        assertThat(StoredFiles.under(storeC)).containsExactly(path + "/0", path + "/0.sha256");
        // Only replicated versions count for latest: now it is this one.
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(client.resources(ImageDefinition.class)
                                .inNamespace(ns)
                                .withName("ubuntu-22.04")
                                .get()
                                .getStatus()
                                .latestVersion)
                        .isEqualTo("1.0.0"));

        client.resource(version).delete();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(version(ns)).isNull();
            assertThat(StoredFiles.under(storeA1)).isEmpty();
            assertThat(StoredFiles.under(storeA2)).isEmpty();
            assertThat(StoredFiles.under(STORE_SERVER.root().resolve(id))).isEmpty();
            assertThat(StoredFiles.under(storeC)).isEmpty();
        });
    }

    @Test
    void aStoreStoppedForAMinuteMidCopyFailsOnlyItsRegionAndItsReplicaIsCopiedOnceItAnswersAgain() throws Exception {
        String ns = TestCluster.newNamespace("replication");
        String id = id();
        Path good = Files.createDirectory(tmp.resolve("store-good"));
        try (NginxServer down = new NginxServer();
                NginxServer slowSource = NginxServer.forSources()) {
            down.start();
            slowSource.start();
            TestRegions.create(
                    client, "rp-" + id + "-good", Map.of("s", good.toUri().toString()));
            TestRegions.create(
                    client,
                    "rp-" + id + "-down",
                    Map.of("web", down.uri("/" + id + "/").toString()));
            // 8 MiB at 1 MiB/s, read first into the store that stops: it goes away in the middle of that PUT.
            Source source = slowSource.slowImage(8 << 20);
            createVersion(
                    ns,
                    "rp-" + id + "-down",
                    slowSource.slowImageUrl(),
                    source.sha256(),
                    source.size(),
                    List.of(Map.of("name", "rp-" + id + "-good"), Map.of("name", "rp-" + id + "-down")));
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> down.bodyBytesReceiving() >= 2 << 20);
            down.stop();
            Instant stopped = Instant.now();

            // Its attempts (2 in the tests' settings) spent, only the region of the stopped store fails.
            await().atMost(Duration.ofSeconds(45))
                    .ignoreExceptions()
                    .untilAsserted(() -> assertThat(version(ns).getStatus().replicationStatus.summary)
                            .extracting(region -> region.region, region -> region.state)
                            .containsExactly(
                                    tuple("rp-" + id + "-good", RegionState.Completed),
                                    tuple("rp-" + id + "-down", RegionState.Failed)));
            Thread.sleep(Math.max(
                    0,
                    Duration.ofSeconds(60)
                            .minus(Duration.between(stopped, Instant.now()))
                            .toMillis()));
            down.start();
            Instant back = Instant.now();

            // The Region rechecks an unreachable store every 15 s; finding it back, the failed copy goes again, from
            // the
            // complete replica.
            Await.condition(client, ImageVersion.class, ns, "ubuntu-22.04-1.0.0", "Ready", "True", "Replicated");
            System.out.printf(
                    "store down %d s; back to Ready: %d ms%n",
                    Duration.between(stopped, back).toSeconds(),
                    Duration.between(back, Instant.now()).toMillis());
            assertThat(Duration.between(back, Instant.now())).isLessThan(Duration.ofSeconds(30));
            String path = version(ns).getStatus().replicationStatus.storagePath;
            assertThat(Source.sha256Of(down.root().resolve(id).resolve(path + "/0")))
                    .isEqualTo(source.sha256());
            assertThat(StoredFiles.under(down.root().resolve(id))).containsExactly(path + "/0", path + "/0.sha256");
            // Deleted while the store still answers: its replica goes with it.
            client.resource(version(ns)).delete();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(version(ns)).isNull();
                assertThat(StoredFiles.under(down.root().resolve(id))).isEmpty();
            });
        }
    }

    @Test
    void aWrongDigestFailsTheVersionAndLeavesNothingInTheStore() throws Exception {
        String ns = TestCluster.newNamespace("replication");
        String id = id();
        Path store = Files.createDirectory(tmp.resolve("store"));
        TestRegions.create(client, "rp-" + id, Map.of("s", store.toUri().toString()));
        Source source = Source.of(tmp.resolve("source/image.img"), 1 << 20);
        String otherDigest = "0".repeat(64);
        createVersion(
                ns,
                "rp-" + id,
                source.path().toUri().toString(),
                otherDigest,
                source.size(),
                List.of(Map.of("name", "rp-" + id)));

        var stalled = Await.condition(
                client, ImageVersion.class, ns, "ubuntu-22.04-1.0.0", "Stalled", "True", "RegionFailed");
        assertThat(stalled.message)
                .startsWith(
                        "rp-" + id
                                + ": 1 of 1 replicas failed: DigestMismatch ×1; first: replica 0 on store s failed after 2 attempts:")
                .contains(otherDigest, ReplicationService.RETRY_ANNOTATION)
                .doesNotContain(source.sha256());
        assertThat(version(ns).getStatus().replicationStatus.aggregatedState.name())
                .isEqualTo("Failed");
        assertThat(StoredFiles.under(store)).isEmpty();
    }

    @Test
    void aStoreRefusingWritesFailsOnlyItsRegionAndTheRetryAnnotationRecoversItOnceRepaired() throws Exception {
        String ns = TestCluster.newNamespace("replication");
        String id = id();
        Path good = Files.createDirectory(tmp.resolve("store-good"));
        try (NginxServer refusing = new NginxServer()) {
            refusing.start();
            refusing.refuseWrites(true);
            TestRegions.create(
                    client, "rp-" + id + "-good", Map.of("s", good.toUri().toString()));
            TestRegions.create(
                    client, "rp-" + id + "-bad", Map.of("web", refusing.uri("/").toString()));
            Source source = Source.of(tmp.resolve("source/image.img"), 1 << 20);
            createVersion(
                    ns,
                    "rp-" + id + "-good",
                    source.path().toUri().toString(),
                    source.sha256(),
                    source.size(),
                    List.of(Map.of("name", "rp-" + id + "-good"), Map.of("name", "rp-" + id + "-bad")));

            var stalled = Await.condition(
                    client, ImageVersion.class, ns, "ubuntu-22.04-1.0.0", "Stalled", "True", "RegionFailed");
            assertThat(stalled.message)
                    .startsWith(
                            "rp-" + id
                                    + "-bad: 1 of 1 replicas failed: StoreUnavailable ×1; first: replica 0 on store web failed after 2 attempts:")
                    .contains("403");
            Map<String, RegionReplication> regions = regions(version(ns));
            assertThat(regions.get("rp-" + id + "-good").state).isEqualTo(RegionState.Completed);
            assertThat(regions.get("rp-" + id + "-bad").state).isEqualTo(RegionState.Failed);
            assertThat(StoredFiles.under(refusing.root())).isEmpty();

            refusing.refuseWrites(false);
            Edit.latest(
                    client,
                    version(ns),
                    v -> v.getMetadata().setAnnotations(Map.of(ReplicationService.RETRY_ANNOTATION, "1")));

            Await.condition(client, ImageVersion.class, ns, "ubuntu-22.04-1.0.0", "Ready", "True", "Replicated");
            String path = version(ns).getStatus().replicationStatus.storagePath;
            assertThat(Source.sha256Of(refusing.root().resolve(path + "/0"))).isEqualTo(source.sha256());
            assertThat(version(ns).getMetadata().getAnnotations())
                    .as("the user's annotation is left as it is")
                    .containsEntry(ReplicationService.RETRY_ANNOTATION, "1");
            // While the store still runs: the version's deletion deletes its replica there (and waits while it cannot).
            ClusterCleanup.deleteNamespaces(ns);
        }
    }

    @Test
    void aSourceThatDisappearsMidCopyFailsTheRegionWithoutLeavingAPartialObject() throws Exception {
        String ns = TestCluster.newNamespace("replication");
        String id = id();
        Path store = Files.createDirectory(tmp.resolve("store"));
        TestRegions.create(client, "rp-" + id, Map.of("s", store.toUri().toString()));
        try (NginxServer slowSource = NginxServer.forSources()) {
            slowSource.start();
            // Served at 1 MiB/s: the copy lasts about 8 s, long enough to pull the source away in the middle.
            Source source = slowSource.slowImage(8 << 20);
            createVersion(
                    ns,
                    "rp-" + id,
                    slowSource.slowImageUrl(),
                    source.sha256(),
                    source.size(),
                    List.of(Map.of("name", "rp-" + id)));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(version(ns).getStatus()).isNotNull();
                assertThat(regions(version(ns)).get("rp-" + id).progress)
                        .as("progress shown while copying")
                        .isBetween(1, 99);
            });

            slowSource.close();
        }
        var stalled = Await.condition(
                client, ImageVersion.class, ns, "ubuntu-22.04-1.0.0", "Stalled", "True", "RegionFailed");
        assertThat(stalled.message)
                .startsWith(
                        "rp-" + id
                                + ": 1 of 1 replicas failed: SourceUnreachable ×1; first: replica 0 on store s failed after 2 attempts:");
        assertThat(StoredFiles.under(store)).isEmpty();
    }

    private void createVersion(
            String ns, String sourceRegion, String url, String sha256, Long size, List<Map<String, Object>> targets) {
        client.resource(Examples.get("Gallery", "contoso.images", ns)).create();
        client.resource(Examples.get("ImageDefinition", "ubuntu-22.04", ns)).create();
        client.resource(Examples.version(
                        ns, "ubuntu-22.04-1.0.0", "ubuntu-22.04", "1.0.0", sourceRegion, url, sha256, size, targets))
                .create();
    }

    private ImageVersion version(String ns) {
        return client.resources(ImageVersion.class)
                .inNamespace(ns)
                .withName("ubuntu-22.04-1.0.0")
                .get();
    }

    private static Map<String, RegionReplication> regions(ImageVersion version) {
        return version.getStatus().replicationStatus.summary.stream().collect(Collectors.toMap(r -> r.region, r -> r));
    }

    private static String id() {
        return UUID.randomUUID().toString().substring(0, 6);
    }
}
