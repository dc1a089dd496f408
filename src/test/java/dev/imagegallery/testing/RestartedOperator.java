package dev.imagegallery.testing;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/** An operator started again on a converged cluster, to count what it writes (it should write nothing). */
public final class RestartedOperator {
  private RestartedOperator() {}

  /**
   * Starts the controllers on {@code client} (the previous operator must be stopped), lets them
   * reconcile every object once, stops them, and returns the writes to the test's own objects
   * ({@code ours}) that the API server audited meanwhile. Objects other tests left in the cluster,
   * some failing on purpose, are not the test's to judge.
   */
  public static List<AuditLog.Write> writesAfterRestart(KubernetesClient client, OperatorSettings settings,
      Predicate<AuditLog.Write> ours) {
    Instant start = Instant.now();
    Operator restarted = StandaloneOperator.of(client, settings);
    try {
      restarted.start();
      // Every object in the cluster is reconciled once at start (replicas checked in their stores, not
      // copied again); give that ample time to finish.
      await().pollDelay(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(11)).until(() -> true);
      return AuditLog.writesSince(start, ours);
    } finally {
      restarted.stop();
    }
  }
}
