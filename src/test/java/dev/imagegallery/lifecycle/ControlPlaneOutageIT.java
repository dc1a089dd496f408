package dev.imagegallery.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.api.ImageVersionStatus.AggregatedState;
import dev.imagegallery.api.ImageVersionStatus.RegionState;
import dev.imagegallery.testing.ClusterCleanup;
import dev.imagegallery.testing.ControlPlaneProcess;
import dev.imagegallery.testing.Examples;
import dev.imagegallery.testing.NginxServer;
import dev.imagegallery.testing.RestartingPod;
import dev.imagegallery.testing.Source;
import dev.imagegallery.testing.StoredFiles;
import dev.imagegallery.testing.TestCluster;
import dev.imagegallery.testing.TestRegions;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The control plane down for 30 s in the middle of a copy, as in an upgrade of a one-node control
 * plane: kube-apiserver killed and started again, or etcd under it. The packaged operator runs as a
 * pod would, started again when it exits: with the chart's leader election it cannot renew its Lease
 * while the API server is gone, so it stops its copies at the renew deadline and exits (the fence
 * forbids writing on an unrenewed Lease), and the next start resumes them.
 */
@Tag("packaged")
class ControlPlaneOutageIT {
    private static final String VERSION = "ubuntu-22.04-1.0.0";
    private static final String DEFINITION_PATH = "/contoso.images/ubuntu-22.04/1.0.0/";
    /** 8 MiB served at 1 MiB/s: the outage starts in the middle of a copy. */
    private static final int IMAGE_SIZE = 8 << 20;

    private static final Duration OUTAGE = Duration.ofSeconds(30);

    private final KubernetesClient harness = TestCluster.client();

    enum Outage {
        API_SERVER(ControlPlaneProcess::apiServer),
        ETCD(ControlPlaneProcess::etcd);

        private final Supplier<ControlPlaneProcess> process;

        Outage(Supplier<ControlPlaneProcess> process) {
            this.process = process;
        }
    }

    @ParameterizedTest
    @EnumSource(Outage.class)
    void aVersionReplicatingWhenTheControlPlaneGoesDownFor30sConvergesWithItsStatusCorrectAndNoEventRepeated(
            Outage outage, @TempDir Path tmp) throws Exception {
        String ns = TestCluster.newNamespace("outage");
        String region = "outage-" + UUID.randomUUID().toString().substring(0, 6);
        Path store = Files.createDirectory(tmp.resolve("store"));
        TestRegions.create(harness, region, Map.of("s", store.toUri().toString()));
        try (NginxServer slowSource = NginxServer.forSources();
                RestartingPod pod = RestartingPod.start("outage")) {
            slowSource.start();
            Source source = slowSource.slowImage(IMAGE_SIZE);
            Examples.createUbuntuVersion(harness, ns, region, slowSource.slowImageUrl(), source, 2);
            String replica0 = ns + DEFINITION_PATH + "0";
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> StoredFiles.stagedBytes(store, replica0) >= 2 << 20);

            ControlPlaneProcess down = outage.process.get();
            down.kill();
            Thread.sleep(OUTAGE.toMillis());
            down.restart();
            Instant back = Instant.now();

            ImageVersion ready = await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(250))
                    .ignoreExceptions()
                    .until(
                            () -> harness.resources(ImageVersion.class)
                                    .inNamespace(ns)
                                    .withName(VERSION)
                                    .get(),
                            ControlPlaneOutageIT::ready);
            System.out.printf(
                    "%s down %d s mid-copy: Ready %d ms after it returned, operator restarts: %d%n",
                    outage,
                    OUTAGE.toSeconds(),
                    Duration.between(back, Instant.now()).toMillis(),
                    pod.restarts());

            var replication = ready.getStatus().replicationStatus;
            assertThat(replication.aggregatedState).isEqualTo(AggregatedState.Completed);
            assertThat(replication.summary).singleElement().satisfies(r -> {
                assertThat(r.state).isEqualTo(RegionState.Completed);
                assertThat(r.replicas)
                        .extracting(replica -> replica.state)
                        .containsExactly(RegionState.Completed, RegionState.Completed);
            });
            String replica1 = ns + DEFINITION_PATH + "1";
            assertThat(StoredFiles.under(store))
                    .as("the replicas and their markers, nothing staged")
                    .containsExactly(replica0, replica0 + ".sha256", replica1, replica1 + ".sha256");
            for (String replica : List.of(replica0, replica1)) {
                assertThat(Source.sha256Of(store.resolve(replica))).as(replica).isEqualTo(source.sha256());
                assertThat(StoredFiles.markedDigest(store.resolve(replica + ".sha256")))
                        .isEqualTo(source.sha256());
            }
            List<Event> events = harness.v1().events().inNamespace(ns).list().getItems();
            assertThat(events)
                    .as("the Events of the namespace")
                    .isNotEmpty()
                    .allSatisfy(event -> assertThat(event.getCount())
                            .as("times %s was recorded: %s", event.getReason(), event.getMessage())
                            .isEqualTo(1));
        }
        ClusterCleanup.deleteNamespaces(ns);
    }

    private static boolean ready(ImageVersion version) {
        return version != null
                && version.getStatus() != null
                && version.getStatus().conditions != null
                && version.getStatus().conditions.stream()
                        .anyMatch(c -> c.type.equals("Ready")
                                && c.status.name().equals("True")
                                && version.getMetadata().getGeneration().equals(c.observedGeneration));
    }
}
