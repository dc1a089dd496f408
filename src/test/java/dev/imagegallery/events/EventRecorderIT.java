package dev.imagegallery.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegallery.status.Reason;
import dev.imagegallery.testing.ApiServerRequests;
import dev.imagegallery.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An Event costs one request when it is new, and a repeated one is counted up on the same Event, as
 * kubectl describe shows it; counted on the real API server's apiserver_request_total.
 */
class EventRecorderIT {
    private final KubernetesClient client = TestCluster.client();
    private final EventRecorder events = new EventRecorder(client);

    @Test
    void aNewEventIsOneCreateAndARepeatedOneCountsUpTheSameEvent() {
        String ns = TestCluster.newNamespace("events");
        // Any object serves as what an Event is about.
        ConfigMap about = client.resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("about")
                        .withNamespace(ns)
                        .endMetadata()
                        .build())
                .create();

        var before = ApiServerRequests.read(client, "");
        events.warning(about, Reason.SourceUnreachable, "cannot read spec.source.url");
        var first = ApiServerRequests.read(client, "").since(before);
        events.warning(about, Reason.SourceUnreachable, "cannot read spec.source.url");
        events.warning(about, Reason.SourceUnreachable, "another message");

        assertThat(first.counts())
                .as("requests for one new Event")
                .containsOnlyKeys(new ApiServerRequests.Kind("POST", "events", ""))
                .containsValue(1L);
        List<Event> recorded = client.v1().events().inNamespace(ns).list().getItems().stream()
                .sorted(Comparator.comparing(Event::getMessage))
                .toList();
        assertThat(recorded)
                .extracting(Event::getMessage, Event::getCount, Event::getType, Event::getReason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("another message", 1, "Warning", "SourceUnreachable"),
                        org.assertj.core.groups.Tuple.tuple(
                                "cannot read spec.source.url", 2, "Warning", "SourceUnreachable"));
    }
}
