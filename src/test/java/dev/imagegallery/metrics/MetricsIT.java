package dev.imagegallery.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.testing.ClusterCleanup;
import dev.imagegallery.testing.Examples;
import dev.imagegallery.testing.FailingReconcile;
import dev.imagegallery.testing.PackagedOperator;
import dev.imagegallery.testing.TestCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What Prometheus scrapes from the operator as shipped (the packaged jar, prod profile, leader
 * election on, configured by the chart): every series the README documents, with values that add up.
 */
@Tag("packaged")
class MetricsIT {
    private final KubernetesClient client = TestCluster.client();

    @Test
    void theOperatorExportsEveryDocumentedSeriesOnceItHasReconciledAndFailed() throws Exception {
        String ns = TestCluster.newNamespace("metrics");
        String failing = TestCluster.newNamespace("metrics-failing");
        // A file no version refers to, in the store of an example Region: the audit at start counts it.
        GenericKubernetesResource northeurope = Examples.get("Region", "northeurope", null);
        Map<?, ?> store = (Map<?, ?>)
                ((List<?>) ((Map<?, ?>) northeurope.getAdditionalProperties().get("spec")).get("stores")).get(0);
        Path orphan = Files.createDirectories(
                        Path.of(URI.create(store.get("endpoint").toString())))
                .resolve("metrics-orphan-" + ns + ".txt");
        Files.writeString(orphan, "no version refers to this");
        try (PackagedOperator operator = PackagedOperator.start("metrics", Map.of())) {
            Examples.applyAll(client, ns);
            FailingReconcile.ofAGallery(client, failing);
            // The examples' versions are copied into their stores, so the series of a first copy appear too.
            List<String> expected = DocumentedMetrics.all().stream()
                    .filter(m -> DocumentedMetrics.WITH_THE_OPERATOR.contains(m.appears())
                            || m.appears().equals("first copy"))
                    .flatMap(m -> m.series().stream())
                    .toList();

            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                operator.assertAlive();
                Map<String, Double> scraped = operator.scrape();
                assertThat(scraped.keySet().stream()
                                .map(series -> series.replaceAll("\\{.*", ""))
                                .collect(Collectors.toSet()))
                        .containsAll(expected);
                assertThat(scraped)
                        .containsKeys(
                                "reconciliations_failure_total{controller_name=\"gallery\"}",
                                "reconciliations_retries_total{controller_name=\"gallery\"}");
            });

            Map<String, Double> scraped = operator.scrape();
            assertThat(scraped)
                    .containsKeys(
                            "imagegallery_imageversions{state=\"Unknown\"}",
                            "imagegallery_imageversions{state=\"InProgress\"}",
                            "imagegallery_imageversions{state=\"Completed\"}",
                            "imagegallery_imageversions{state=\"Failed\"}");
            double versions = scraped.entrySet().stream()
                    .filter(e -> e.getKey().startsWith("imagegallery_imageversions{"))
                    .mapToDouble(Map.Entry::getValue)
                    .sum();
            assertThat(versions)
                    .isEqualTo(client.resources(ImageVersion.class)
                            .inAnyNamespace()
                            .list()
                            .getItems()
                            .size());
            assertThat(scraped.get("custom_resources{controller_name=\"imageversion\"}"))
                    .isEqualTo(versions);
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(
                                    operator.scrape()
                                            .get(
                                                    "imagegallery_store_orphaned_objects{region=\"northeurope\",store=\"store-1\"}"))
                            .as("orphans the audit found in northeurope's store")
                            .isGreaterThanOrEqualTo(1));
            // While the operator runs: it deletes the examples' replicas from their stores.
            ClusterCleanup.deleteNamespaces(ns, failing);
        } finally {
            Files.delete(orphan);
        }
    }
}
