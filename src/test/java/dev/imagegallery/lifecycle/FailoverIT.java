package dev.imagegallery.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.testing.Await;
import dev.imagegallery.testing.ClusterCleanup;
import dev.imagegallery.testing.Examples;
import dev.imagegallery.testing.NginxServer;
import dev.imagegallery.testing.PackagedOperator;
import dev.imagegallery.testing.Source;
import dev.imagegallery.testing.StoredFiles;
import dev.imagegallery.testing.TestCluster;
import dev.imagegallery.testing.TestRegions;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two packaged operators with leader election, the leader lost in the middle of a copy: killed, or
 * paused past its Lease and woken up after the other finished. The replicas are whole, verified by
 * the new leader, and nothing the old one does after it lost the Lease reaches the store.
 */
@Tag("packaged")
class FailoverIT {
    private static final String VERSION = "ubuntu-22.04-1.0.0";
    private static final String DEFINITION_PATH = "/contoso.images/ubuntu-22.04/1.0.0/";
    /** 8 MiB served at 1 MiB/s: long enough to lose the leader in the middle of its copy. */
    private static final int IMAGE_SIZE = 8 << 20;
    /** 1 GiB served at 64 MiB/s, the size of a real image: killed a quarter in, the new leader resumes it. */
    private static final long LARGE_IMAGE_SIZE = 1L << 30;
    /**
     * The Lease's duration (15 s, the chart's leaderElection.leaseDuration) plus the
     * follower's retry period with fabric8's jitter (2 s x 2.2), plus a second for a loaded machine.
     */
    private static final Duration TAKEOVER_BOUND = Duration.ofMillis(15_000 + 4_400 + 1_000);

    private final KubernetesClient harness = TestCluster.client();

    @Test
    void aLeaderKilledMidCopyOf1GiBIsReplacedWithinTheLeaseAndTheNewLeaderCompletesEveryReplicaLeavingNothingStaged(
            @TempDir Path tmp) throws Exception {
        String ns = TestCluster.newNamespace("failover-kill");
        StoreRegion region = regionWithAStore(tmp, "kill");
        Path store = region.store();
        try (NginxServer slowSource = NginxServer.forSources();
                PackagedOperator first = leading("first")) {
            slowSource.start();
            try (PackagedOperator second = PackagedOperator.start("second", Map.of())) {
                Source source = slowSource.steadyImage(LARGE_IMAGE_SIZE);
                Examples.createUbuntuVersion(harness, ns, region.name(), slowSource.steadyImageUrl(), source, 2);
                String replica0 = ns + DEFINITION_PATH + "0";
                awaitStaged(first, store, replica0, LARGE_IMAGE_SIZE / 4);

                first.kill();
                Instant killed = Instant.now();
                await().atMost(TAKEOVER_BOUND)
                        .pollInterval(Duration.ofMillis(100))
                        .until(second::leads);
                System.out.printf(
                        "SIGKILL to the next leader: %d ms%n",
                        Duration.between(killed, Instant.now()).toMillis());

                Await.condition(
                        harness,
                        ImageVersion.class,
                        ns,
                        VERSION,
                        "Ready",
                        "True",
                        "Replicated",
                        Duration.ofSeconds(150));
                System.out.printf(
                        "1 GiB copy, leader killed a quarter in: Ready %d s after the kill%n",
                        Duration.between(killed, Instant.now()).toSeconds());
                second.assertAlive();
                assertCompleteAndVerifiedBy("second", store, ns, source);
                ClusterCleanup.deleteNamespaces(ns);
            }
        }
    }

    /**
     * A file store and a WebDAV server differ in what the new leader finds of the old one's copy: a
     * file store shows the old staging file, which the new leader's attempt removes; a WebDAV server
     * shows nothing until the old leader's PUT ends, so there only the fence stops it.
     */
    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aLeaderPausedPastItsLeaseWritesNothingAfterItWakesUpOnceTheNewLeaderCompletedTheReplicas(
            StoreKind kind, @TempDir Path tmp) throws Exception {
        String ns = TestCluster.newNamespace("failover-pause");
        try (NginxServer slowSource = NginxServer.forSources();
                TestStore store = kind.open(tmp);
                PackagedOperator first = leading("first")) {
            slowSource.start();
            StoreRegion region = new StoreRegion(
                    "failover-pause-" + UUID.randomUUID().toString().substring(0, 6), store.files());
            TestRegions.create(harness, region.name(), Map.of("s", store.endpoint()));
            try (PackagedOperator second = PackagedOperator.start("second", Map.of())) {
                Source source = createVersion(ns, slowSource, region);
                String replica0 = ns + DEFINITION_PATH + "0";
                // Paused near the end of its copy, so that on waking it has all it needs to commit at once.
                await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(20))
                        .until(() -> {
                            first.assertAlive();
                            return store.stagedBytes(replica0) >= IMAGE_SIZE - (2 << 20);
                        });

                first.pause();
                try {
                    await().atMost(TAKEOVER_BOUND.plusSeconds(5))
                            .pollInterval(Duration.ofMillis(100))
                            .until(second::leads);
                    Await.condition(harness, ImageVersion.class, ns, VERSION, "Ready", "True", "Replicated");
                } finally {
                    first.resume();
                }
                Map<String, String> completed = StoredFiles.digests(store.files());
                long resumedAt = first.logSize();

                // Woken up, it finds the Lease gone at its next renewal and exits; its copy threads stop sooner.
                assertThat(first.awaitExit(Duration.ofSeconds(30)))
                        .as("the old leader's exit after it woke up; log:\n%s", first.logSince(resumedAt))
                        .isPresent();
                assertThat(StoredFiles.digests(store.files()))
                        .as("every object and marker after the old leader woke up")
                        .isEqualTo(completed);
                second.assertAlive();
                assertCompleteAndVerifiedBy("second", store.files(), ns, source);
                ClusterCleanup.deleteNamespaces(ns);
            }
        }
    }

    /** A store the operators write to, and where the test reads what it holds. */
    private interface TestStore extends AutoCloseable {
        String endpoint();

        /** Where the store keeps its objects, as files. */
        Path files();

        /** The bytes the store has received so far for the replica at {@code replicaPath}, not yet committed. */
        long stagedBytes(String replicaPath) throws IOException;

        @Override
        void close();
    }

    private enum StoreKind {
        FILE {
            @Override
            TestStore open(Path tmp) throws IOException {
                Path directory = Files.createDirectory(tmp.resolve("store"));
                return new TestStore() {
                    @Override
                    public String endpoint() {
                        return directory.toUri().toString();
                    }

                    @Override
                    public Path files() {
                        return directory;
                    }

                    @Override
                    public long stagedBytes(String replicaPath) throws IOException {
                        return StoredFiles.stagedBytes(directory, replicaPath);
                    }

                    @Override
                    public void close() {}
                };
            }
        },
        WEBDAV {
            @Override
            TestStore open(Path tmp) throws IOException {
                NginxServer server = new NginxServer();
                server.start();
                Files.createDirectories(server.root().resolve("store"));
                return new TestStore() {
                    @Override
                    public String endpoint() {
                        return server.uri("/store/").toString();
                    }

                    @Override
                    public Path files() {
                        return server.root().resolve("store");
                    }

                    @Override
                    public long stagedBytes(String replicaPath) throws IOException {
                        return server.bodyBytesReceiving();
                    }

                    @Override
                    public void close() {
                        server.close();
                    }
                };
            }
        };

        abstract TestStore open(Path tmp) throws IOException;
    }

    /** A Region of one directory store, which the test's version is replicated to. */
    private record StoreRegion(String name, Path store) {}

    private StoreRegion regionWithAStore(Path tmp, String name) throws Exception {
        Path store = Files.createDirectory(tmp.resolve("store"));
        String region = "failover-" + name + "-" + UUID.randomUUID().toString().substring(0, 6);
        TestRegions.create(harness, region, Map.of("s", store.toUri().toString()));
        return new StoreRegion(region, store);
    }

    private static PackagedOperator leading(String name) {
        PackagedOperator operator = PackagedOperator.start(name, Map.of());
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            operator.assertAlive();
            return operator.leads();
        });
        return operator;
    }

    private static void awaitStaged(PackagedOperator copying, Path store, String replica, long bytes) {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    copying.assertAlive();
                    return StoredFiles.stagedBytes(store, replica) >= bytes;
                });
    }

    /** A version of two replicas in the store's region, from the slow source. */
    private Source createVersion(String ns, NginxServer slowSource, StoreRegion region) throws Exception {
        Source source = slowSource.slowImage(IMAGE_SIZE);
        Examples.createUbuntuVersion(harness, ns, region.name(), slowSource.slowImageUrl(), source, 2);
        return source;
    }

    /** Both replicas whole, each marker naming the process that verified it, nothing staged left. */
    private static void assertCompleteAndVerifiedBy(String leader, Path store, String ns, Source source)
            throws Exception {
        String replica0 = ns + DEFINITION_PATH + "0";
        String replica1 = ns + DEFINITION_PATH + "1";
        assertThat(StoredFiles.under(store))
                .containsExactly(replica0, replica0 + ".sha256", replica1, replica1 + ".sha256");
        for (String replica : List.of(replica0, replica1)) {
            assertThat(Source.sha256Of(store.resolve(replica))).as(replica).isEqualTo(source.sha256());
            assertThat(Files.readAllLines(store.resolve(replica + ".sha256")))
                    .as("the marker of " + replica)
                    .startsWith(source.sha256())
                    .anySatisfy(line -> assertThat(line).startsWith("verified-by: " + leader + "_"));
        }
    }
}
