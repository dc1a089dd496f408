package dev.imagegallery.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.testing.Await;
import dev.imagegallery.testing.Examples;
import dev.imagegallery.testing.KStatus;
import dev.imagegallery.testing.RestartedOperator;
import dev.imagegallery.testing.TestCluster;
import dev.imagegallery.testing.TestOperator;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Once everything has converged, the operator is quiet: kstatus reads the examples as they are, and
 * an operator restarted on the converged cluster makes no write at all (counted by the API server).
 * The restart is the controllers started again in this JVM, not the packaged jar: what it writes
 * depends on the reconcilers alone, not on leader election or how the process is shipped. The
 * cluster holds this test's objects only, so the count is of every write.
 */
class ConvergenceIT {
    @RegisterExtension
    static final TestOperator operator = TestOperator.withTestSettings();

    private final KubernetesClient client = TestCluster.client();

    @Test
    void examplesReadAsKstatusSaysAndARestartedOperatorWritesNothing() {
        String ns = TestCluster.newNamespace("converged");
        Examples.applyAll(client, ns);
        for (String version : new String[] {"ubuntu-22.04-1.0.0", "ubuntu-22.04-1.1.0", "ubuntu-22.04-1.2.0"}) {
            Await.condition(client, ImageVersion.class, ns, version, "Ready", "True", "Replicated");
        }
        // Australia Central allows only the examples' own namespace, so in this one the version is refused.
        Await.condition(
                client, ImageVersion.class, ns, "windows-2022-2022.11.0", "Stalled", "True", "RegionRestricted");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(kstatus("galleries", ns, "contoso.images")).isEqualTo(KStatus.Result.Current);
            assertThat(kstatus("imagedefinitions", ns, "ubuntu-22.04")).isEqualTo(KStatus.Result.Current);
            assertThat(kstatus("imagedefinitions", ns, "windows-2022")).isEqualTo(KStatus.Result.Current);
            assertThat(kstatus("regions", null, "westeurope")).isEqualTo(KStatus.Result.Current);
            assertThat(kstatus("imageversions", ns, "ubuntu-22.04-1.0.0")).isEqualTo(KStatus.Result.Current);
            assertThat(kstatus("imageversions", ns, "windows-2022-2022.11.0")).isEqualTo(KStatus.Result.Failed);
        });

        assertThat(RestartedOperator.writesAfterRestart(operator))
                .as("writes to the examples after the restart")
                .isEmpty();
    }

    @SuppressWarnings("unchecked")
    private KStatus.Result kstatus(String plural, String ns, String name) {
        var resources = client.genericKubernetesResources("imagegallery.dev/v1alpha1", kindOf(plural));
        GenericKubernetesResource object = ns == null
                ? resources.withName(name).get()
                : resources.inNamespace(ns).withName(name).get();
        return KStatus.of(client.getKubernetesSerialization().convertValue(object, Map.class));
    }

    private static String kindOf(String plural) {
        return Map.of(
                        "galleries",
                        "Gallery",
                        "imagedefinitions",
                        "ImageDefinition",
                        "imageversions",
                        "ImageVersion",
                        "regions",
                        "Region")
                .get(plural);
    }
}
