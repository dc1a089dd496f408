package dev.imagegallery.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points the application's operator (and its Kubernetes client) at the JVM's one real control plane,
 * and lets it read the test sources; the application tier's only test resource.
 */
public class ControlPlaneTestResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        // fabric8's client reads the kubeconfig file named by this system property when Quarkus builds it.
        System.setProperty("kubeconfig", TestCluster.kubeconfigFile().toString());
        // From here to stop() the application's operator reconciles: no other may start (TestOperator).
        System.setProperty(TestOperator.APPLICATION_PROPERTY, "running");
        return TestSources.config();
    }

    @Override
    public void stop() {
        System.clearProperty(TestOperator.APPLICATION_PROPERTY);
        // The control plane outlives the Quarkus application: it is stopped when the JVM exits.
    }
}
