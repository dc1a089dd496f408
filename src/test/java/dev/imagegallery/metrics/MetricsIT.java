package dev.imagegallery.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.testing.ControlPlaneTestResource;
import dev.imagegallery.testing.Examples;
import dev.imagegallery.testing.FailingReconcile;
import dev.imagegallery.testing.TestCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What Prometheus scrapes from the running operator: every series the README documents for it, with values that add up. */
@QuarkusTest
@QuarkusTestResource(ControlPlaneTestResource.class)
class MetricsIT {
  @Inject
  KubernetesClient client;
  @TestHTTPResource("/q/metrics")
  URI endpoint;

  @Test
  void theOperatorExportsEveryDocumentedSeriesOnceItHasReconciledAndFailed() throws Exception {
    String ns = TestCluster.newNamespace("metrics");
    Examples.applyAll(client, ns);
    FailingReconcile.ofAGallery(client, TestCluster.newNamespace("metrics-failing"));
    // The examples' versions are copied into their stores, so the series of a first copy appear too.
    List<String> expected = DocumentedMetrics.all().stream().filter(m -> DocumentedMetrics.WITH_THE_OPERATOR.contains(m.appears())
        || m.appears().equals("first copy")).flatMap(m -> m.series().stream()).toList();

    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      Map<String, Double> scraped = scrape();
      assertThat(scraped.keySet().stream().map(series -> series.replaceAll("\\{.*", "")).collect(Collectors.toSet()))
          .containsAll(expected);
      assertThat(scraped).containsKeys("reconciliations_failure_total{controller_name=\"gallery\"}",
          "reconciliations_retries_total{controller_name=\"gallery\"}");
    });

    Map<String, Double> scraped = scrape();
    assertThat(scraped).containsKeys("imagegallery_imageversions{state=\"Unknown\"}", "imagegallery_imageversions{state=\"InProgress\"}",
        "imagegallery_imageversions{state=\"Completed\"}", "imagegallery_imageversions{state=\"Failed\"}");
    double versions = scraped.entrySet().stream().filter(e -> e.getKey().startsWith("imagegallery_imageversions{"))
        .mapToDouble(Map.Entry::getValue).sum();
    assertThat(versions).isEqualTo(client.resources(ImageVersion.class).inAnyNamespace().list().getItems().size());
    assertThat(scraped.get("custom_resources{controller_name=\"imageversion\"}")).isEqualTo(versions);
  }

  /** Each sample line of the scrape: series (name and labels) to value. */
  private Map<String, Double> scrape() throws IOException, InterruptedException {
    String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(endpoint).build(), HttpResponse.BodyHandlers.ofString()).body();
    return body.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
        .collect(Collectors.toMap(l -> l.substring(0, l.lastIndexOf(' ')), l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)),
            (a, b) -> b));
  }
}
