package dev.imagegallery.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.testing.Await;
import dev.imagegallery.testing.Examples;
import dev.imagegallery.testing.NginxServer;
import dev.imagegallery.testing.OperatorProcess;
import dev.imagegallery.testing.Source;
import dev.imagegallery.testing.StoredFiles;
import dev.imagegallery.testing.TestCluster;
import dev.imagegallery.testing.TestRegions;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator killed in the middle of a copy finishes it after a restart, from where it was: one
 * object per replica, intact, nothing staged left, and the source asked only for the rest. The process runs the controllers from the class path
 * ({@link OperatorProcess}), not the packaged jar: SIGKILL skips every shutdown path, so how the
 * operator is shipped plays no part; the packaged tier's GracefulShutdownIT covers SIGTERM. No
 * other operator runs meanwhile: this class has none of its own.
 */
class OperatorCrashIT {
    /** 1 GiB served at 64 MiB/s: an image of a real size, and a copy the crash lands in the middle of. */
    private static final long IMAGE_SIZE = 1L << 30;

    @Test
    void aCopyInterruptedByACrashAtHalfResumesAfterTheRestartAndCompletesWithoutDuplicateOrCorruptObject(
            @TempDir Path tmp) throws Exception {
        KubernetesClient harness = TestCluster.client();
        String ns = TestCluster.newNamespace("crash");
        String region = "crash-" + UUID.randomUUID().toString().substring(0, 6);
        Path store = Files.createDirectory(tmp.resolve("store"));
        Path logs = Files.createDirectories(Path.of("target", "operator-process"));
        TestRegions.create(harness, region, Map.of("s", store.toUri().toString()));
        try (NginxServer slowSource = NginxServer.forSources()) {
            slowSource.start();
            Source source = slowSource.steadyImage(IMAGE_SIZE);
            Examples.createUbuntuVersion(harness, ns, region, slowSource.steadyImageUrl(), source, 1);
            String path = ns + "/contoso.images/ubuntu-22.04/1.0.0/0";

            Map<String, String> properties = Map.of(
                    "image-gallery.replication.max-attempts", "2", "image-gallery.replication.initial-backoff", "1s");
            OperatorProcess first =
                    OperatorProcess.start(TestCluster.kubeconfigFile(), properties, logs.resolve("first.log"));
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    first.assertAlive();
                    return StoredFiles.stagedBytes(store, path) >= IMAGE_SIZE / 2;
                });
            } finally {
                first.kill();
            }
            assertThat(StoredFiles.under(store))
                    .as("what the crash left")
                    .singleElement()
                    .matches(file -> StoredFiles.isStaging(file, path));

            try (OperatorProcess second =
                    OperatorProcess.start(TestCluster.kubeconfigFile(), properties, logs.resolve("second.log"))) {
                Await.condition(
                        harness,
                        ImageVersion.class,
                        ns,
                        "ubuntu-22.04-1.0.0",
                        "Ready",
                        "True",
                        "Replicated",
                        Duration.ofSeconds(120));
                second.assertAlive();
            }
            assertThat(StoredFiles.under(store)).containsExactly(path, path + ".sha256");
            assertThat(Source.sha256Of(store.resolve(path))).isEqualTo(source.sha256());
            // The restarted operator asked only for the rest (HTTP 206), and the source sent well under the image.
            List<NginxServer.Served> resumed = slowSource.served().stream()
                    .filter(served ->
                            served.request().equals("GET " + NginxServer.STEADY_IMAGE) && served.status() == 206)
                    .toList();
            System.out.printf(
                    "resumed after the crash: %s of %d bytes from the source%n",
                    resumed.stream().map(NginxServer.Served::bytesSent).toList(), IMAGE_SIZE);
            assertThat(resumed)
                    .singleElement()
                    .satisfies(served ->
                            assertThat(served.bytesSent()).isPositive().isLessThanOrEqualTo(IMAGE_SIZE / 2));
        }
    }
}
