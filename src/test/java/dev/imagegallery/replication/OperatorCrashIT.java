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
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
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
 * An operator killed in the middle of a copy finishes it after a restart: one object per replica,
 * intact, nothing staged left. The process runs the controllers from the class path
 * ({@link OperatorProcess}), not the packaged jar: SIGKILL skips every shutdown path, so how the
 * operator is shipped plays no part; the packaged tier's GracefulShutdownIT covers SIGTERM. No
 * other operator runs meanwhile: this class has none of its own.
 */
class OperatorCrashIT {
    @Test
    void aCopyInterruptedByACrashCompletesAfterTheRestartWithoutDuplicateOrCorruptObject(@TempDir Path tmp)
            throws Exception {
        KubernetesClient harness = TestCluster.client();
        String ns = TestCluster.newNamespace("crash");
        String region = "crash-" + UUID.randomUUID().toString().substring(0, 6);
        Path store = Files.createDirectory(tmp.resolve("store"));
        Path logs = Files.createDirectories(Path.of("target", "operator-process"));
        TestRegions.create(harness, region, Map.of("s", store.toUri().toString()));
        try (NginxServer slowSource = NginxServer.forSources()) {
            slowSource.start();
            // 4 MiB served at 1 MiB/s: a copy the crash lands in the middle of.
            Source source =
                    Source.of(slowSource.root().resolve(NginxServer.SLOW_PREFIX.substring(1) + "image.img"), 4 << 20);
            harness.resource(Examples.get("Gallery", "contoso.images", ns)).create();
            harness.resource(Examples.get("ImageDefinition", "ubuntu-22.04", ns))
                    .create();
            GenericKubernetesResource version = Examples.get("ImageVersion", "ubuntu-22.04-1.0.0", ns);
            Examples.set(version, "spec.sourceRegion", region);
            Examples.set(
                    version,
                    "spec.source.url",
                    slowSource.uri(NginxServer.SLOW_PREFIX + "image.img").toString());
            Examples.set(version, "spec.source.sha256", source.sha256());
            Examples.set(version, "spec.source.sizeBytes", source.size());
            Examples.set(version, "spec.publishingProfile.targetRegions", List.of(Map.of("name", region)));
            harness.resource(version).create();
            String path = ns + "/contoso.images/ubuntu-22.04/1.0.0/0";

            Map<String, String> properties = Map.of(
                    "image-gallery.replication.max-attempts", "2", "image-gallery.replication.initial-backoff", "1s");
            OperatorProcess first =
                    OperatorProcess.start(TestCluster.kubeconfigFile(), properties, logs.resolve("first.log"));
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    first.assertAlive();
                    return Files.exists(store.resolve(path + ".partial"))
                            && Files.size(store.resolve(path + ".partial")) > (1 << 20);
                });
            } finally {
                first.kill();
            }
            assertThat(StoredFiles.under(store)).as("what the crash left").containsExactly(path + ".partial");

            try (OperatorProcess second =
                    OperatorProcess.start(TestCluster.kubeconfigFile(), properties, logs.resolve("second.log"))) {
                Await.condition(harness, ImageVersion.class, ns, "ubuntu-22.04-1.0.0", "Ready", "True", "Replicated");
                second.assertAlive();
            }
            assertThat(StoredFiles.under(store)).containsExactly(path, path + ".sha256");
            assertThat(Source.sha256Of(store.resolve(path))).isEqualTo(source.sha256());
        }
    }
}
