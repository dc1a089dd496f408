package dev.imagegallery.config;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Leader election on a Lease, so several operator replicas (Helm replicaCount > 1) never reconcile
 * at once. Quarkus operator SDK uses it in the prod profile (quarkus.operator-sdk.activate-leader-election-for-profiles).
 */
public class LeaderElection {
  static final String LEASE = "image-gallery-operator";

  @Produces
  @Singleton
  LeaderElectionConfiguration leaderElection(@ConfigProperty(name = "pod.namespace") Optional<String> podNamespace,
      KubernetesClient client) {
    // The chart sets POD_NAMESPACE; run outside a cluster (./run), the kubeconfig's namespace or default holds the Lease.
    String namespace = podNamespace.orElseGet(() -> Optional.ofNullable(client.getNamespace()).orElse("default"));
    return new LeaderElectionConfiguration(LEASE, namespace);
  }
}
