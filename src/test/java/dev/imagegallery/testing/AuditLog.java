package dev.imagegallery.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The local API server's audit log of writes to imagegallery.dev objects: unlike its request
 * metrics it names each request's object and who made it. No-op writes are requests too, and
 * counted. The log is written before the API server answers, so a write a client has seen answered
 * is in it.
 */
public final class AuditLog {
    private static final Set<String> WRITE_VERBS = Set.of("create", "update", "patch", "delete");
    private static final ObjectMapper JSON = new ObjectMapper();
    // A system property, not a static field: the test classes and the cluster's starter live in different class
    // loaders.
    private static final String DIR_PROPERTY = "igo.test.audit-dir";

    private AuditLog() {}

    /**
     * One audited write: who asked for what, on which object; with what it asked to write for a
     * status of a Region, Gallery or ImageDefinition (few and small, unlike versions'), else null.
     */
    public record Write(
            Instant received,
            String user,
            String verb,
            String resource,
            String subresource,
            String namespace,
            String name,
            String request) {}

    static Path path() {
        return Path.of(System.getProperty(DIR_PROPERTY, "/nonexistent"), "audit.log");
    }

    /** The writes received at or after {@code since} that {@code which} selects. */
    public static List<Write> writesSince(Instant since, Predicate<Write> which) {
        if (!Files.exists(path())) {
            throw new IllegalStateException(
                    "no audit log at " + path() + ": only the local control plane (not k3s) keeps one");
        }
        try (Stream<String> lines = Files.lines(path())) {
            return lines.map(AuditLog::parse)
                    .filter(w -> !w.received().isBefore(since))
                    .filter(which)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Write parse(String line) {
        try {
            JsonNode event = JSON.readTree(line);
            JsonNode object = event.path("objectRef");
            return new Write(
                    Instant.parse(event.path("requestReceivedTimestamp").asText()),
                    event.at("/user/username").asText(),
                    event.path("verb").asText(),
                    object.path("resource").asText(),
                    object.path("subresource").asText(null),
                    object.path("namespace").asText(null),
                    object.path("name").asText(null),
                    event.has("requestObject") ? event.get("requestObject").toString() : null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the audit policy for the API server about to start; returns its file. */
    static Path preparePolicy() {
        try {
            Path dir = Files.createTempDirectory("kube-audit-");
            System.setProperty(DIR_PROPERTY, dir.toString());
            // Metadata only, for writes to our API group, once each (when the response is complete); with the
            // request's body for a parent's status, so that a test that counts writes can say what was written.
            Files.writeString(dir.resolve("policy.yaml"), """
          apiVersion: audit.k8s.io/v1
          kind: Policy
          omitStages: ["RequestReceived", "ResponseStarted", "Panic"]
          rules:
            - level: Request
              verbs: %1$s
              resources:
                - group: imagegallery.dev
                  resources: ["regions/status", "galleries/status", "imagedefinitions/status"]
            - level: Metadata
              verbs: %1$s
              resources:
                - group: imagegallery.dev
            - level: None
          """.formatted(JSON.writeValueAsString(
                    WRITE_VERBS.stream().sorted().toList())));
            return dir.resolve("policy.yaml");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
