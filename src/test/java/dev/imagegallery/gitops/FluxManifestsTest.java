package dev.imagegallery.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The Flux examples in deploy/flux: what makes them wait for the operator's verdict and upgrade the CRDs. */
class FluxManifestsTest {
    private static final Path FLUX = Path.of("deploy/flux");
    private static final YAMLMapper YAML = new YAMLMapper();

    @Test
    void theGalleriesKustomizationWaitsForEveryKindsReadyCondition() throws IOException {
        JsonNode spec = only("Kustomization").get("spec");

        assertThat(spec.get("wait").asBoolean()).isTrue();
        assertThat(names(spec.get("healthCheckExprs"), "kind"))
                .containsExactlyInAnyOrderElementsOf(OperatorStatuses.KINDS);
        for (JsonNode check : spec.get("healthCheckExprs")) {
            assertThat(check.get("apiVersion").asText())
                    .isEqualTo(servedApiVersion(check.get("kind").asText()));
            assertThat(check.get("current").asText()).contains("'Ready'", "'True'");
            assertThat(check.get("failed").asText()).contains("'Stalled'", "'True'");
            assertThat(check.get("inProgress").asText()).contains("'Reconciling'", "'True'");
        }
        assertThat(sourceNamed(spec.get("sourceRef"))).isTrue();
    }

    @Test
    void theHelmReleaseCreatesAndReplacesTheChartsCrdsOnInstallAndUpgrade() throws IOException {
        JsonNode spec = only("HelmRelease").get("spec");

        assertThat(spec.at("/install/crds").asText()).isEqualTo("CreateReplace");
        assertThat(spec.at("/upgrade/crds").asText()).isEqualTo("CreateReplace");
        JsonNode chart = spec.at("/chart/spec");
        assertThat(Path.of(chart.get("chart").asText()).resolve("Chart.yaml"))
                .as("the chart in this repository")
                .exists();
        assertThat(sourceNamed(chart.get("sourceRef"))).isTrue();
    }

    /** The apiVersion the CRD in deploy/crds serves the kind at. */
    private static String servedApiVersion(String kind) throws IOException {
        for (JsonNode crd : documentsIn(Path.of("deploy/crds"))) {
            if (crd.at("/spec/names/kind").asText().equals(kind)) {
                return crd.at("/spec/group").asText() + "/"
                        + crd.at("/spec/versions/0/name").asText();
            }
        }
        throw new AssertionError("no CRD for " + kind);
    }

    private static boolean sourceNamed(JsonNode sourceRef) throws IOException {
        return documentsIn(FLUX).stream()
                .anyMatch(
                        d -> d.get("kind").asText().equals(sourceRef.get("kind").asText())
                                && d.at("/metadata/name")
                                        .asText()
                                        .equals(sourceRef.get("name").asText()));
    }

    private static JsonNode only(String kind) throws IOException {
        List<JsonNode> found = documentsIn(FLUX).stream()
                .filter(d -> d.get("kind").asText().equals(kind))
                .toList();
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    private static List<String> names(JsonNode list, String field) {
        List<String> names = new ArrayList<>();
        list.forEach(item -> names.add(item.get(field).asText()));
        return names;
    }

    private static List<JsonNode> documentsIn(Path directory) throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(
                            f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
                    .sorted()
                    .toList()) {
                try (MappingIterator<JsonNode> parsed =
                        YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
                    documents.addAll(parsed.readAll());
                }
            }
        }
        return documents;
    }
}
