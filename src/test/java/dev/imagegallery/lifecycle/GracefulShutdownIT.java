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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rollout as the kubelet does it, on two packaged operators: SIGTERM to the leader while it copies. */
@Tag("packaged")
class GracefulShutdownIT {
    private static final String VERSION = "ubuntu-22.04-1.0.0";
    // A follower tries for the Lease every 2 s plus up to 120 % jitter (fabric8's LeaderElector), 4.4 s at most;
    // 6 s leaves room for a loaded machine and is still far below the 15 s a Lease takes to expire.
    private static final Duration NEXT_LEADER_BOUND = Duration.ofSeconds(6);

    private final KubernetesClient harness = TestCluster.client();

    @Test
    void sigtermWithACopyInFlightExitsZeroInTimeReleasesTheLeaseAndTheNextLeaderCompletesTheCopies(@TempDir Path tmp)
            throws Exception {
        String ns = TestCluster.newNamespace("shutdown");
        String region = "shutdown-" + UUID.randomUUID().toString().substring(0, 6);
        Path store = Files.createDirectory(tmp.resolve("store"));
        TestRegions.create(harness, region, Map.of("s", store.toUri().toString()));
        try (NginxServer slowSource = NginxServer.forSources();
                PackagedOperator first = PackagedOperator.start("first", Map.of())) {
            slowSource.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                first.assertAlive();
                return first.leads();
            });
            try (PackagedOperator second = PackagedOperator.start("second", Map.of())) {
                // 8 MiB at 1 MiB/s: replica 0 in flight from the source when the signal comes, replica 1 waiting to be
                // copied from it.
                Source source = slowSource.slowImage(8 << 20);
                Examples.createUbuntuVersion(harness, ns, region, slowSource.slowImageUrl(), source, 2);
                String replica0 = ns + "/contoso.images/ubuntu-22.04/1.0.0/0";
                String replica1 = ns + "/contoso.images/ubuntu-22.04/1.0.0/1";
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    first.assertAlive();
                    return StoredFiles.stagedBytes(store, replica0) > (1 << 20);
                });

                Instant signalled = Instant.now();
                first.terminate();
                Optional<Integer> exit = first.awaitExit(PackagedOperator.gracePeriod());
                Duration stopping = Duration.between(signalled, Instant.now());
                Optional<String> holderAtExit = PackagedOperator.leaseHolder();
                List<String> storedAtExit = StoredFiles.under(store);

                assertThat(exit)
                        .as("exit code within the grace period; log:\n%s", first.log())
                        .contains(0);
                assertThat(stopping)
                        .as("time from SIGTERM to exit")
                        .isLessThanOrEqualTo(PackagedOperator.gracePeriod().minusSeconds(5));
                assertThat(first.log()).contains("Released the Lease").doesNotContain("Exiting.");
                assertThat(holderAtExit)
                        .as("the Lease right after the exit")
                        .satisfiesAnyOf(
                                holder -> assertThat(holder).isEmpty(),
                                holder -> assertThat(holder)
                                        .hasValueSatisfying(h -> assertThat(h).startsWith("second_")));
                assertThat(storedAtExit)
                        .as("copies stopped before committing anything")
                        .allMatch(path -> path.endsWith(".partial"));
                Instant exited = Instant.now();
                await().atMost(NEXT_LEADER_BOUND)
                        .pollInterval(Duration.ofMillis(100))
                        .until(second::leads);
                System.out.printf(
                        "SIGTERM to exit: %d ms; exit to the next leader: %d ms%n",
                        stopping.toMillis(),
                        Duration.between(exited, Instant.now()).toMillis());

                Await.condition(harness, ImageVersion.class, ns, VERSION, "Ready", "True", "Replicated");
                second.assertAlive();
                assertThat(StoredFiles.under(store))
                        .containsExactly(replica0, replica0 + ".sha256", replica1, replica1 + ".sha256");
                assertThat(Source.sha256Of(store.resolve(replica0))).isEqualTo(source.sha256());
                assertThat(Source.sha256Of(store.resolve(replica1))).isEqualTo(source.sha256());
                ClusterCleanup.deleteNamespaces(ns);
            }
        }
    }
}
