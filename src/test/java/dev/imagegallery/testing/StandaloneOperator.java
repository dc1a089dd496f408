package dev.imagegallery.testing;

import dev.imagegallery.config.GalleryLimits;
import dev.imagegallery.config.ReplicationConfig;
import dev.imagegallery.config.SourcesConfig;
import dev.imagegallery.reconciler.version.VersionReplicator;
import dev.imagegallery.metrics.OperatorMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.imagegallery.events.EventRecorder;
import dev.imagegallery.reconciler.definition.ImageDefinitionReconciler;
import dev.imagegallery.reconciler.gallery.GalleryReconciler;
import dev.imagegallery.reconciler.region.EndpointProbe;
import dev.imagegallery.reconciler.region.RegionReconciler;
import dev.imagegallery.reconciler.version.ImageVersionReconciler;
import dev.imagegallery.reconciler.version.PlacementLedger;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import java.util.function.Consumer;

/** The operator's four controllers in a plain java-operator-sdk Operator (not started), on a client of the test's choosing. */
public final class StandaloneOperator {
  private StandaloneOperator() {}

  public static Operator of(KubernetesClient client, GalleryLimits limits, ReplicationConfig replication) {
    return of(client, limits, replication, o -> {});
  }

  /** The same, with further java-operator-sdk settings (for example {@code o.withMetrics(...)}). */
  public static Operator of(KubernetesClient client, GalleryLimits limits, ReplicationConfig replication,
      Consumer<ConfigurationServiceOverrider> settings) {
    Operator operator = new Operator(o -> settings.accept(o.withKubernetesClient(client).withCloseClientOnStop(false)));
    EventRecorder events = new EventRecorder(client);
    OperatorMetrics metrics = new OperatorMetrics(new SimpleMeterRegistry());
    operator.register(new RegionReconciler(new EndpointProbe()));
    operator.register(new GalleryReconciler(limits, events));
    operator.register(new ImageDefinitionReconciler(limits, events));
    operator.register(new ImageVersionReconciler(limits, events, new VersionReplicator(replication,
        OperatorProcess.config().getConfigMapping(SourcesConfig.class), metrics), new PlacementLedger(), metrics));
    return operator;
  }
}
