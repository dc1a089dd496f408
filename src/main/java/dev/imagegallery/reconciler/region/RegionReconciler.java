package dev.imagegallery.reconciler.region;

import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.api.Region;
import dev.imagegallery.api.RegionStatus;
import dev.imagegallery.api.Store;
import dev.imagegallery.audit.StoreAuditor;
import dev.imagegallery.config.StatusConfig;
import dev.imagegallery.reconciler.CachedFields;
import dev.imagegallery.reconciler.CountPacing;
import dev.imagegallery.reconciler.PlacementInputs;
import dev.imagegallery.reconciler.VersionFeed;
import dev.imagegallery.reconciler.version.PlacementLedger;
import dev.imagegallery.status.StatusWriter;
import dev.imagegallery.stores.StoreConnector;
import dev.imagegallery.validation.StoreEndpoints;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Keeps each Region's status in step with its stores: reachability, capacity, and the replicas placed on them. */
@ControllerConfiguration(
        name = "region",
        maxReconciliationInterval = @MaxReconciliationInterval(interval = 5, timeUnit = TimeUnit.MINUTES))
public class RegionReconciler implements Reconciler<Region> {
    /** An unreachable store is probed again this soon; a reachable region is re-probed every 5 minutes. */
    private static final Duration UNREACHABLE_REPROBE = Duration.ofSeconds(15);
    /** What maxReconciliationInterval says. */
    private static final Duration MAX_INTERVAL = Duration.ofMinutes(5);
    /** How long a store found reachable is not asked again, however often its loads change. */
    private static final Duration REACHABLE_REUSE = Duration.ofSeconds(60);

    private final RecentProbes probe;
    private final StoreConnector stores;
    private final PlacementLedger ledger;
    // Regions are few and seldom deleted: what it remembers of a deleted one is not worth a finalizer.
    private final CountPacing pacing;
    private final VersionFeed feed;
    private final StoreAuditor auditor;
    private final SimpleInboundEventSource<Region> storeEvents = new SimpleInboundEventSource<>("store-events");

    public RegionReconciler(
            StoreProbe probe,
            StoreConnector stores,
            PlacementLedger ledger,
            StatusConfig status,
            VersionFeed feed,
            StoreAuditor auditor) {
        this.probe = new RecentProbes(probe, REACHABLE_REUSE, Clock.systemUTC());
        this.stores = stores;
        this.ledger = ledger;
        this.pacing = new CountPacing(status.countInterval());
        this.feed = feed;
        this.auditor = auditor;
    }

    @Override
    public List<EventSource<?, Region>> prepareEventSources(EventSourceContext<Region> context) {
        // A version changes the load of the regions it targets and of those it holds replicas in, before and after.
        var versions = feed.eventSource(
                "versions",
                context,
                CachedFields::changedForStoreLoads,
                v -> regionsOf(v).map(ResourceID::new));
        // Whether a Region's store conflicts with another's (StoreEndpoints) depends on every Region: a
        // Region's spec change, creation or deletion reconciles them all (the catalogue is small).
        var cache = context.getPrimaryCache();
        var siblings = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Region.class, Region.class)
                        .withName("sibling-regions")
                        .withOnUpdateFilter((newer, older) -> !newer.getMetadata()
                                .getGeneration()
                                .equals(older.getMetadata().getGeneration()))
                        .withSecondaryToPrimaryMapper(
                                r -> cache.list().map(ResourceID::fromResource).collect(Collectors.toSet()))
                        .withWatchAllNamespaces()
                        .build(),
                context);
        // A changed store Secret (rotated credentials, a new CA) is probed at once, not at the next interval; so is a
        // store a copy failed at, which may be down while its last probe found it reachable. An audit's end writes
        // what it found.
        stores.onSecretChange(secret -> {
            probe.forget();
            cache.list()
                    .filter(region -> region.getSpec().stores.stream().anyMatch(store -> names(store, secret)))
                    .forEach(region -> storeEvents.propagateEvent(ResourceID.fromResource(region)));
        });
        stores.onCopyFailedAtStore(region -> {
            probe.forget();
            storeEvents.propagateEvent(new ResourceID(region));
        });
        return List.of(versions, siblings, storeEvents);
    }

    /** The regions a version targets or still holds replicas in. */
    private static Stream<String> regionsOf(ImageVersion version) {
        return Stream.concat(
                        version.getSpec().publishingProfile.targetRegions.stream()
                                .map(t -> t.name),
                        PlacementInputs.placed(version).replicasByRegion().keySet().stream())
                .distinct();
    }

    private static boolean names(Store store, String secret) {
        return (store.credentialsSecretRef != null && secret.equals(store.credentialsSecretRef.name))
                || (store.tls != null && secret.equals(store.tls.caSecretRef.name));
    }

    @Override
    public UpdateControl<Region> reconcile(Region region, Context<Region> context) {
        Map<String, StoreProbe.Result> probes =
                region.getSpec().stores.stream().collect(Collectors.toMap(s -> s.name, s -> probe.probe(s)));
        // A store back from an outage: the copies that failed at it need not wait for their next retry, if any.
        RegionStatusCalculator.unreachableBefore(region.getStatus()).stream()
                .filter(store -> probes.containsKey(store) && probes.get(store).reachable())
                .forEach(store -> stores.storeBack(region.getMetadata().getName(), store));
        auditor.auditDue(
                region,
                probes.keySet().stream()
                        .filter(store -> probes.get(store).reachable())
                        .collect(Collectors.toSet()),
                audited -> storeEvents.propagateEvent(new ResourceID(audited)));
        var load = ledger.loads(feed::all).usageOf(PlacementInputs.region(region));
        Map<String, String> overlapping =
                StoreEndpoints.conflicts(PlacementInputs.claims(
                                context.getPrimaryCache().list().toList()))
                        .entrySet()
                        .stream()
                        .filter(c ->
                                c.getKey().region().equals(region.getMetadata().getName()))
                        .collect(Collectors.toMap(
                                c -> c.getKey().store(),
                                c -> "store " + c.getValue().store() + " of Region "
                                        + c.getValue().region()));
        RegionStatus next = RegionStatusCalculator.calculate(
                region.getSpec(),
                region.getStatus(),
                region.getMetadata().getGeneration(),
                probes,
                load,
                overlapping,
                auditor.audits(region.getMetadata().getName()),
                Instant.now());
        UpdateControl<Region> control = pacing.publish(
                region, next, RegionReconciler::withoutLoads, () -> StatusWriter.patchIfChanged(context, region, next));
        boolean allReachable = probes.values().stream().allMatch(StoreProbe.Result::reachable);
        // A store's next audit starts at the first reconcile after its interval.
        Duration again = Stream.concat(
                        Stream.of(allReachable ? MAX_INTERVAL : UNREACHABLE_REPROBE), auditor.interval().stream())
                .min(Duration::compareTo)
                .orElseThrow();
        return again.equals(MAX_INTERVAL) ? control : control.rescheduleAfter(again);
    }

    /** A Region's status without the loads its versions move: replicas and bytes of each store. */
    @SuppressWarnings("unchecked")
    private static void withoutLoads(Map<String, Object> status) {
        Object stores = status.get("stores");
        if (stores instanceof List<?> list) {
            list.forEach(store -> {
                ((Map<String, Object>) store).remove("replicas");
                ((Map<String, Object>) store).remove("bytesUsed");
            });
        }
    }
}
