package dev.imagegallery.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Points the operator under test (and its Kubernetes client) at the JVM's one real control plane, and lets it read the test sources. */
public class ControlPlaneTestResource implements QuarkusTestResourceLifecycleManager {
  @Override
  public Map<String, String> start() {
    // fabric8's client reads the kubeconfig file named by this system property when Quarkus builds it.
    System.setProperty("kubeconfig", TestCluster.kubeconfigFile().toString());
    return TestSources.config();
  }

  @Override
  public void stop() {
    // The control plane outlives the Quarkus application: it is stopped when the JVM exits.
  }
}
