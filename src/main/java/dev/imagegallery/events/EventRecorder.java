package dev.imagegallery.events;

import dev.imagegallery.status.Messages;
import dev.imagegallery.status.Reason;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import org.jboss.logging.Logger;

/**
 * Records Kubernetes Events about our objects, de-duplicated: the same reason and message about the
 * same object is one Event whose count goes up, as kubectl describe shows it. Messages are
 * {@linkplain Messages#bounded bounded} like those of the status.
 */
@ApplicationScoped
public class EventRecorder {
    private static final Logger LOG = Logger.getLogger(EventRecorder.class);
    private static final String COMPONENT = "image-gallery-operator";

    private final KubernetesClient client;

    public EventRecorder(KubernetesClient client) {
        this.client = client;
    }

    public void normal(HasMetadata about, Reason reason, String message) {
        record(about, "Normal", reason.name(), message);
    }

    public void warning(HasMetadata about, Reason reason, String message) {
        record(about, "Warning", reason.name(), message);
    }

    private void record(HasMetadata about, String type, String reason, String text) {
        String message = Messages.bounded(text);
        // Regions are cluster-scoped; their Events go to the default namespace, as for Nodes.
        String namespace =
                about.getMetadata().getNamespace() != null ? about.getMetadata().getNamespace() : "default";
        String name =
                about.getMetadata().getName() + "." + digest(about.getMetadata().getUid() + type + reason + message);
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        try {
            createOrCountAgain(about, namespace, name, type, reason, message, now);
        } catch (KubernetesClientException e) {
            // An Event is a courtesy: failing to record one must not fail the reconcile that changed state.
            LOG.warnf(
                    "could not record Event %s on %s/%s: %s",
                    reason, namespace, about.getMetadata().getName(), e.getMessage());
        }
    }

    private void createOrCountAgain(
            HasMetadata about, String namespace, String name, String type, String reason, String message, String now) {
        // Most Events are new: create first, and read only when one with this name exists already.
        try {
            client.v1()
                    .events()
                    .inNamespace(namespace)
                    .resource(newEvent(about, namespace, name, type, reason, message, now))
                    .create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
            Event existing =
                    client.v1().events().inNamespace(namespace).withName(name).get();
            if (existing != null) {
                existing.setCount(existing.getCount() == null ? 2 : existing.getCount() + 1);
                existing.setLastTimestamp(now);
                client.v1().events().inNamespace(namespace).resource(existing).update();
            }
        }
    }

    private static Event newEvent(
            HasMetadata about, String namespace, String name, String type, String reason, String message, String now) {
        return new EventBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(about.getApiVersion())
                        .withKind(about.getKind())
                        .withName(about.getMetadata().getName())
                        .withNamespace(about.getMetadata().getNamespace())
                        .withUid(about.getMetadata().getUid())
                        .withResourceVersion(about.getMetadata().getResourceVersion())
                        .build())
                .withType(type)
                .withReason(reason)
                .withMessage(message)
                .withCount(1)
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withNewSource()
                .withComponent(COMPONENT)
                .endSource()
                .withReportingComponent(COMPONENT)
                .build();
    }

    private static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
