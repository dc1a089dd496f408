package dev.imagegallery.testing;

import static org.awaitility.Awaitility.await;

import dev.imagegallery.config.GalleryLimits;
import dev.imagegallery.config.ReplicationConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;

/** An operator started again on a converged cluster, to count what it writes (it should write nothing). */
public final class RestartedOperator {
  private RestartedOperator() {}

  /**
   * Starts the controllers on {@code client} (the previous operator must be stopped), lets them
   * reconcile every object once, stops them, and returns the writes to imagegallery.dev objects the
   * API server served meanwhile.
   */
  public static ApiServerRequests writesAfterRestart(KubernetesClient client, GalleryLimits limits, ReplicationConfig replication) {
    ApiServerRequests before = ApiServerRequests.read(client);
    Operator restarted = StandaloneOperator.of(client, limits, replication);
    try {
      restarted.start();
      // Every object in the cluster is reconciled once at start (replicas checked in their stores, not
      // copied again); give that ample time to finish.
      await().pollDelay(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(11)).until(() -> true);
      return ApiServerRequests.read(client).since(before);
    } finally {
      restarted.stop();
    }
  }
}
