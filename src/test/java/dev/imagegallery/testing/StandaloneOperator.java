package dev.imagegallery.testing;

import dev.imagegallery.events.EventRecorder;
import dev.imagegallery.metrics.OperatorMetrics;
import dev.imagegallery.reconciler.definition.ImageDefinitionReconciler;
import dev.imagegallery.reconciler.definition.LatestTags;
import dev.imagegallery.reconciler.gallery.GalleryReconciler;
import dev.imagegallery.reconciler.region.EndpointProbe;
import dev.imagegallery.reconciler.region.RegionReconciler;
import dev.imagegallery.reconciler.version.ImageVersionReconciler;
import dev.imagegallery.reconciler.version.PlacementLedger;
import dev.imagegallery.reconciler.version.ReplicationService;
import dev.imagegallery.stores.StoreConnector;
import dev.imagegallery.stores.StoreSecrets;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
        Operator operator = new Operator(
                o -> sdkSettings.accept(o.withKubernetesClient(client).withCloseClientOnStop(false)));
        EventRecorder events = new EventRecorder(client);
        OperatorMetrics metrics = new OperatorMetrics(new SimpleMeterRegistry());
        StoreConnector stores = new StoreConnector(client, new StoreSecrets(client, settings.namespace()));
        operator.register(new RegionReconciler(new EndpointProbe(stores), stores));
        operator.register(new GalleryReconciler(settings.limits(), settings.sharing(), events));
        operator.register(new ImageDefinitionReconciler(
                settings.limits(), settings.sharing(), events, new LatestTags(stores, settings.replication())));
        operator.register(new ImageVersionReconciler(
                settings.limits(),
                settings.sharing(),
                events,
                new ReplicationService(settings.replication(), settings.sources(), metrics, stores),
                new PlacementLedger(),
                metrics));
        return operator;
    }
}
