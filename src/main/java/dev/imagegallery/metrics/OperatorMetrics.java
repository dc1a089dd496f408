package dev.imagegallery.metrics;

import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.api.ImageVersionStatus.AggregatedState;
import dev.imagegallery.api.ImageVersionStatus.RegionState;
import dev.imagegallery.replication.FailureReason;
import dev.imagegallery.replication.ReplicationMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The operator's own metrics, next to java-operator-sdk's: replication counters and timers per
 * target region, and gauges of image versions, regions and replicas by replication state, read
 * from the versions at scrape time. Labels stay few: a region (bounded by the Region catalogue), a
 * state or a failure reason (enums). The README's "Metrics" table lists every name.
 */
@ApplicationScoped
public class OperatorMetrics implements ReplicationMetrics {
    private static final String REGION = "region";
    private static final String STATE = "state";

    private final MeterRegistry registry;
    /** How long one count of the versions answers the gauges: a scrape reads them one after another. */
    private final Duration countReuse;

    private final AtomicReference<Counted> lastCount = new AtomicReference<>();
    /** Until the ImageVersion controller hands over its cache, there are no versions to count. */
    private final AtomicReference<Supplier<Stream<ImageVersion>>> versions = new AtomicReference<>(Stream::empty);

    @Inject
    public OperatorMetrics(MeterRegistry registry) {
        this(registry, Duration.ofSeconds(1));
    }

    OperatorMetrics(MeterRegistry registry, Duration countReuse) {
        this.registry = registry;
        this.countReuse = countReuse;
        for (AggregatedState state : AggregatedState.values()) {
            gauge(
                    "imagegallery.imageversions",
                    "Image versions by replication state (status.replicationStatus.aggregatedState)",
                    state.name(),
                    counts -> counts.versions().get(state));
        }
        for (RegionState state : RegionState.values()) {
            gauge(
                    "imagegallery.regions",
                    "Target regions of image versions by replication state",
                    state.name(),
                    counts -> counts.regions().get(state));
            gauge(
                    "imagegallery.replicas",
                    "Replicas of image versions by replication state",
                    state.name(),
                    counts -> counts.replicas().get(state));
        }
        Gauge.builder("imagegallery.imageversions.end.of.life", () -> count().endOfLife())
                .description("Image versions past their end of life (condition EndOfLife=True)")
                .register(registry);
    }

    /**
     * Counts these versions at every scrape; the ImageVersion controller passes its informer cache
     * ({@code context.getPrimaryCache()::list}), so a scrape costs no API request. A later call
     * replaces the earlier source.
     */
    public void observeVersions(Supplier<Stream<ImageVersion>> versions) {
        this.versions.set(versions);
    }

    @Override
    public void bytesCopied(String region, long bytes) {
        Counter.builder("imagegallery.replication.bytes")
                .baseUnit("bytes")
                .description("Bytes copied into a region's stores")
                .tag(REGION, region)
                .register(registry)
                .increment(bytes);
    }

    @Override
    public void copyDuration(String region, Duration duration) {
        Timer.builder("imagegallery.replication.copy.duration")
                .description("Time to copy and verify one replica")
                .tag(REGION, region)
                .register(registry)
                .record(duration);
    }

    @Override
    public void copyFailed(String region, FailureReason reason) {
        Counter.builder("imagegallery.replication.failures")
                .description("Failed attempts to copy a replica, retries included")
                .tag(REGION, region)
                .tag("reason", reason.name())
                .register(registry)
                .increment();
    }

    @Override
    public void replicaAlreadyPresent(String region) {
        Counter.builder("imagegallery.replication.already.present")
                .description("Replicas found complete in their store and not copied again")
                .tag(REGION, region)
                .register(registry)
                .increment();
    }

    /** The orphans the last audit of a store found; registered once per store, read at each scrape. */
    public void orphanedObjects(String region, String store, DoubleSupplier orphans) {
        Gauge.builder("imagegallery.store.orphaned.objects", orphans, DoubleSupplier::getAsDouble)
                .description("Objects in the store that no image version refers to, as its last audit found them")
                .tag(REGION, region)
                .tag("store", store)
                // Micrometer holds a gauge's object weakly; the supplier is held by nothing else.
                .strongReference(true)
                .register(registry);
    }

    private void gauge(String name, String description, String state, Function<VersionCounts, Long> value) {
        Gauge.builder(name, () -> value.apply(count()))
                .description(description)
                .tag(STATE, state)
                .register(registry);
    }

    /** One pass over the informer cache serves every gauge of a scrape. */
    private VersionCounts count() {
        long now = System.nanoTime();
        Counted last = lastCount.get();
        if (last != null && now - last.atNanos() < countReuse.toNanos()) {
            return last.counts();
        }
        VersionCounts counts = VersionCounts.of(versions.get().get());
        lastCount.set(new Counted(now, counts));
        return counts;
    }

    private record Counted(long atNanos, VersionCounts counts) {}
}
