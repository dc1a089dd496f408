package dev.imagegallery.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegallery.testing.ConsoleLog;
import dev.imagegallery.testing.ControlPlaneTestResource;
import dev.imagegallery.testing.FailingReconcile;
import dev.imagegallery.testing.TestCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With JSON logs switched on (the chart's logging.format: json), each line is one JSON object carrying the object's identity.
 * In the application's JVM, not the packaged tier: the switch is one property, read alike in every profile, and
 * HelmChartIT checks that the chart sets it.
 */
@QuarkusTest
@QuarkusTestResource(ControlPlaneTestResource.class)
@TestProfile(JsonReconcileLogIT.JsonLogs.class)
class JsonReconcileLogIT {
    public static class JsonLogs implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.log.console.json.enabled", "true");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    KubernetesClient client;

    @Test
    void aFailedReconcileIsOneJsonLineWhoseMdcNamesTheObject() {
        String ns = TestCluster.newNamespace("jsonlog");
        try (ConsoleLog log = ConsoleLog.capture()) {
            FailingReconcile.ofAGallery(client, ns);

            log.awaitLine(line -> {
                assertThat(line.lines()).as("one record, one line").hasSize(1);
                JsonNode entry = JSON.readTree(line);
                assertThat(entry.get("level").asText()).isEqualTo("WARN");
                assertThat(entry.get("loggerName").asText())
                        .isEqualTo("io.javaoperatorsdk.operator.processing.event.EventProcessor");
                assertThat(entry.get("message").asText()).contains("Uncaught error during event processing");
                assertThat(entry.at("/mdc/resource.kind").asText()).isEqualTo("Gallery");
                assertThat(entry.at("/mdc/resource.namespace").asText()).isEqualTo(ns);
                assertThat(entry.at("/mdc/resource.name").asText()).isEqualTo(FailingReconcile.GALLERY);
                assertThat(entry.at("/mdc/resource").asText())
                        .isEqualTo("Gallery " + ns + "/" + FailingReconcile.GALLERY);
            });
        }
    }
}
