package dev.imagegallery.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.replication.FailureReason;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What Prometheus scrapes from the operator's own metrics, exactly as the README's Metrics table names it. */
class OperatorMetricsTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final OperatorMetrics metrics = new OperatorMetrics(registry);

    @Test
    void theOrphansGaugeKeepsReadingItsStoreAfterAGarbageCollection() {
        // A supplier nothing else holds, as the audit's is.
        metrics.orphanedObjects("westeurope", "store-1", new AtomicInteger(3)::get);

        System.gc();

        assertThat(registry.scrape())
                .containsPattern(
                        "imagegallery_store_orphaned_objects\\{region=\"westeurope\",store=\"store-1\",?} 3\\.0");
    }

    @Test
    void replicationCountersAndTimerArePerRegionAndReason() {
        metrics.bytesCopied("westeurope", 1000);
        metrics.bytesCopied("westeurope", 24);
        metrics.copyDuration("westeurope", Duration.ofSeconds(3));
        metrics.copyFailed("eastus", FailureReason.StoreUnavailable);
        metrics.replicaAlreadyPresent("westeurope");

        assertThat(registry.scrape().lines())
                .contains(
                        "imagegallery_replication_bytes_total{region=\"westeurope\",} 1024.0",
                        "imagegallery_replication_copy_duration_seconds_count{region=\"westeurope\",} 1.0",
                        "imagegallery_replication_copy_duration_seconds_sum{region=\"westeurope\",} 3.0",
                        "imagegallery_replication_failures_total{reason=\"StoreUnavailable\",region=\"eastus\",} 1.0",
                        "imagegallery_replication_already_present_total{region=\"westeurope\",} 1.0");
    }

    @Test
    void everyDocumentedReplicationSeriesAppearsOnceReplicationReportsIt() {
        metrics.bytesCopied("westeurope", 1);
        metrics.copyDuration("westeurope", Duration.ofSeconds(1));
        metrics.copyFailed("westeurope", FailureReason.DigestMismatch);
        metrics.replicaAlreadyPresent("westeurope");
        String scrape = registry.scrape();

        List<DocumentedMetrics.Metric> documented = DocumentedMetrics.all();
        assertThat(documented)
                .extracting(DocumentedMetrics.Metric::appears)
                .as("MetricsIT checks the others")
                .allMatch(appears -> DocumentedMetrics.WITH_REPLICATION.contains(appears)
                        || DocumentedMetrics.WITH_THE_OPERATOR.contains(appears));
        List<String> replicationSeries = documented.stream()
                .filter(m -> DocumentedMetrics.WITH_REPLICATION.contains(m.appears()))
                .flatMap(m -> m.series().stream())
                .toList();
        assertThat(replicationSeries)
                .hasSize(6)
                .allSatisfy(series -> assertThat(scrape).containsPattern("(?m)^" + series + "\\{"));
    }

    @Test
    void gaugesCountTheObservedVersionsAtEveryScrapeInEveryState() {
        var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        var metrics = new OperatorMetrics(registry, Duration.ZERO);
        List<ImageVersion> versions = new java.util.ArrayList<>(List.of(new ImageVersion()));
        metrics.observeVersions(versions::stream);

        assertThat(registry.scrape().lines())
                .contains(
                        "imagegallery_imageversions{state=\"Unknown\",} 1.0",
                        "imagegallery_imageversions{state=\"Completed\",} 0.0",
                        "imagegallery_regions{state=\"Failed\",} 0.0",
                        "imagegallery_replicas{state=\"Replicating\",} 0.0",
                        "imagegallery_imageversions_end_of_life 0.0");

        versions.add(new ImageVersion());
        assertThat(registry.scrape().lines()).contains("imagegallery_imageversions{state=\"Unknown\",} 2.0");
    }

    @Test
    void oneCountOfTheVersionsServesEveryGaugeOfAScrape() {
        var passes = new java.util.concurrent.atomic.AtomicInteger();
        metrics.observeVersions(() -> {
            passes.incrementAndGet();
            return Stream.of(new ImageVersion());
        });

        assertThat(registry.scrape().lines()).contains("imagegallery_imageversions{state=\"Unknown\",} 1.0");
        assertThat(passes)
                .as("passes over the versions for one scrape of 13 gauges")
                .hasValue(1);
    }

    @Test
    void aLaterSourceReplacesTheEarlierOne() {
        metrics.observeVersions(() -> Stream.of(new ImageVersion(), new ImageVersion()));
        metrics.observeVersions(() -> Stream.of(new ImageVersion()));

        assertThat(registry.scrape().lines()).contains("imagegallery_imageversions{state=\"Unknown\",} 1.0");
    }
}
