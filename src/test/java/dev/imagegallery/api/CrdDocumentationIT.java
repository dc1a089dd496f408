package dev.imagegallery.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegallery.testing.Cli;
import dev.imagegallery.testing.Examples;
import dev.imagegallery.testing.TestCluster;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What `kubectl explain` and `kubectl get` show users of the installed CRDs. */
class CrdDocumentationIT {
    private final KubernetesClient client = TestCluster.client();

    @ParameterizedTest
    @ValueSource(strings = {"regions", "galleries", "imagedefinitions", "imageversions"})
    void everyFieldOfTheServedSchemaHasADescription(String plural) {
        CustomResourceDefinition crd = client.apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName(plural + ".imagegallery.dev")
                .get();
        List<String> undocumented = new ArrayList<>();
        collectUndocumented("", crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema(), undocumented);
        assertThat(undocumented)
                .as("fields without a description in %s", plural)
                .isEmpty();
    }

    /** apiVersion, kind and metadata are documented by the API server itself. */
    private static void collectUndocumented(String path, JSONSchemaProps schema, List<String> undocumented) {
        if (schema.getProperties() != null) {
            for (Map.Entry<String, JSONSchemaProps> property :
                    schema.getProperties().entrySet()) {
                String child = path.isEmpty() ? property.getKey() : path + "." + property.getKey();
                if (!path.isEmpty()
                        || !List.of("apiVersion", "kind", "metadata").contains(property.getKey())) {
                    if (property.getValue().getDescription() == null
                            || property.getValue().getDescription().isBlank()) {
                        undocumented.add(child);
                    }
                }
                collectUndocumented(child, property.getValue(), undocumented);
            }
        }
        if (schema.getItems() != null && schema.getItems().getSchema() != null) {
            collectUndocumented(path + "[]", schema.getItems().getSchema(), undocumented);
        }
    }

    @Test
    void kubectlExplainShowsTheFieldDescription() {
        String explained =
                Cli.kubectl("explain", "imageversions.spec.source.sha256").replaceAll("\\s+", " ");
        assertThat(explained).contains("SHA-256 digest of the bytes").contains("every replica is verified against it");
        assertThat(Cli.kubectl("explain", "imgdef.spec.identifier").replaceAll("\\s+", " "))
                .contains("publisher")
                .contains("unique within the gallery");
    }

    @Test
    void sharedCategoryListsEveryKindWithItsColumns() {
        String namespace = TestCluster.newNamespace("columns");
        Examples.applyAll(client, namespace);
        String table = Cli.kubectl("get", "imagegallery", "-n", namespace);
        assertThat(table)
                .contains(
                        "gallery.imagegallery.dev/contoso.images",
                        "imagedefinition.imagegallery.dev/ubuntu-22.04",
                        "imageversion.imagegallery.dev/ubuntu-22.04-1.2.0");
        assertThat(Cli.kubectl("get", "imgver", "-n", namespace))
                .contains(
                        "DEFINITION",
                        "VERSION",
                        "REPLICATION",
                        "REGIONS",
                        "READY",
                        "REASON",
                        "ubuntu-22.04-1.2.0",
                        "2022.11.0");
        assertThat(Cli.kubectl("get", "imgdef", "-n", namespace))
                .contains("GALLERY", "OS", "LATEST", "contoso.images", "Windows");
        assertThat(Cli.kubectl("get", "imgreg"))
                .contains("CLOUD", "STORES", "RESTRICTED", "Government", "US Gov Virginia");
    }
}
