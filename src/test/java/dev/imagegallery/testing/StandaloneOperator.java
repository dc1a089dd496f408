package dev.imagegallery.testing;

import dev.imagegallery.audit.StoreAuditor;
import dev.imagegallery.events.EventRecorder;
import dev.imagegallery.metrics.OperatorMetrics;
import dev.imagegallery.reconciler.VersionFeed;
import dev.imagegallery.reconciler.definition.ImageDefinitionReconciler;
import dev.imagegallery.reconciler.definition.LatestTags;
import dev.imagegallery.reconciler.gallery.GalleryReconciler;
import dev.imagegallery.reconciler.region.EndpointProbe;
import dev.imagegallery.reconciler.region.RegionReconciler;
import dev.imagegallery.reconciler.version.ImageVersionReconciler;
import dev.imagegallery.reconciler.version.PlacementLedger;
import dev.imagegallery.reconciler.version.ReplicationService;
import dev.imagegallery.reconciler.version.SoftDeletes;
import dev.imagegallery.replication.WriteFence;
import dev.imagegallery.stores.StoreConnector;
import dev.imagegallery.stores.StoreSecrets;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/** The operator's four controllers in a plain java-operator-sdk Operator (not started), on a client of the test's choosing. */
public final class StandaloneOperator {
    private StandaloneOperator() {}

    public static Operator of(KubernetesClient client, OperatorSettings settings) {
        return of(client, settings, o -> {});
    }

    /** The same, with further java-operator-sdk settings (for example {@code o.withMetrics(...)}). */
    public static Operator of(
            KubernetesClient client, OperatorSettings settings, Consumer<ConfigurationServiceOverrider> sdkSettings) {
        EventRecorder events = new EventRecorder(client);
        OperatorMetrics metrics = new OperatorMetrics(new SimpleMeterRegistry());
        StoreSecrets secrets = new StoreSecrets(client, settings.namespace());
        StoreConnector stores = new StoreConnector(client, secrets);
        ReplicationService replication = new ReplicationService(
                settings.replication(), settings.sources(), metrics, stores, WriteFence.open("standalone"));
        VersionFeed feed = new VersionFeed();
        SoftDeletes softDeletes = new SoftDeletes(replication, settings.softDelete());
        StoreAuditor auditor =
                new StoreAuditor(stores, feed, replication, events, metrics, settings.storeAudit(), softDeletes);
        // Stopped, it lets go of what it started (copy threads, the Secrets watch), as the application's shutdown
        // does: a live thread would keep the stopped operator and its caches on the heap of the next one.
        Operator operator =
                new Operator(
                        o -> sdkSettings.accept(o.withKubernetesClient(client).withCloseClientOnStop(false))) {
                    @Override
                    public void stop() {
                        super.stop();
                        secrets.close();
                        auditor.close();
                        try {
                            replication.close();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                };
        PlacementLedger ledger = new PlacementLedger();
        operator.register(
                new RegionReconciler(new EndpointProbe(stores), stores, ledger, settings.status(), feed, auditor));
        operator.register(new GalleryReconciler(
                settings.limits(), settings.sharing(), settings.status(), events, feed, softDeletes));
        operator.register(new ImageDefinitionReconciler(
                settings.limits(),
                settings.sharing(),
                settings.status(),
                events,
                new LatestTags(stores, settings.replication()),
                feed));
        operator.register(new ImageVersionReconciler(
                settings.limits(), settings.sharing(), events, replication, ledger, metrics, feed, softDeletes));
        return operator;
    }
}
