package dev.imagegallery.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tests run against a real API server of a released Kubernetes version, with our CRDs installed. */
class ControlPlaneIT {
    private final KubernetesClient client = TestCluster.client();

    @Test
    void apiServerReportsARealKubernetesVersion() {
        var version = client.getKubernetesVersion();
        assertThat(version.getGitVersion()).matches("v1\\.(36|34)\\.\\d+.*");
        assertThat(version.getMajor()).isEqualTo("1");
    }

    @Test
    void allFourCrdsAreEstablished() {
        List<String> names = client.apiextensions().v1().customResourceDefinitions().list().getItems().stream()
                .map(CustomResourceDefinition::getMetadata)
                .map(m -> m.getName())
                .filter(n -> n.endsWith(".imagegallery.dev"))
                .sorted()
                .toList();
        assertThat(names)
                .containsExactly(
                        "galleries.imagegallery.dev",
                        "imagedefinitions.imagegallery.dev",
                        "imageversions.imagegallery.dev",
                        "regions.imagegallery.dev");
    }
}
