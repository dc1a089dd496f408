package dev.imagegallery.metrics;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetricsV2;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * java-operator-sdk's metrics (reconciliations_*, custom_resources, events_received_total) on the
 * application's registry. quarkus-operator-sdk 7.7 hands the operator a {@link Metrics} that a
 * MeterBinder fills in only once the registry binds it; in the prod profile the operator's
 * configuration is built before that, so the packaged operator kept {@code Metrics.NOOP} while the
 * test profile happened to bind first (quarkiverse/quarkus-operator-sdk#1385, fixed in 7.8 the same
 * way). Built from the registry itself, the bean no longer depends on that order.
 */
@Singleton
public class OperatorSdkMetrics {
    @Produces
    @Singleton
    Metrics operatorSdkMetrics(MeterRegistry registry) {
        return MicrometerMetricsV2.newBuilder(registry).build();
    }
}
