package dev.imagegallery.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.imagegallery.api.Condition;
import dev.imagegallery.api.ReconciledStatus;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;

/** Waits, as a user running `kubectl wait` would, for a condition on one of our objects. */
public final class Await {
    private static final Duration TIMEOUT = Duration.ofSeconds(45);

    private Await() {}

    /** Waits until the object's condition has the status and reason at its current generation; returns that condition. */
    public static <S extends ReconciledStatus, R extends CustomResource<?, S>> Condition condition(
            KubernetesClient client,
            Class<R> kind,
            String namespace,
            String name,
            String type,
            String status,
            String reason) {
        return condition(client, kind, namespace, name, type, status, reason, TIMEOUT);
    }

    /** The same, waiting at most {@code timeout}: for what takes longer than a test's usual wait, a large copy say. */
    public static <S extends ReconciledStatus, R extends CustomResource<?, S>> Condition condition(
            KubernetesClient client,
            Class<R> kind,
            String namespace,
            String name,
            String type,
            String status,
            String reason,
            Duration timeout) {
        Condition[] found = new Condition[1];
        await().atMost(timeout).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            R live = namespace == null
                    ? client.resources(kind).withName(name).get()
                    : client.resources(kind)
                            .inNamespace(namespace)
                            .withName(name)
                            .get();
            assertThat(live)
                    .as("%s %s/%s exists", kind.getSimpleName(), namespace, name)
                    .isNotNull();
            List<Condition> conditions = live.getStatus() == null ? List.of() : live.getStatus().conditions;
            Condition condition = conditions == null
                    ? null
                    : conditions.stream()
                            .filter(c -> c.type.equals(type))
                            .findFirst()
                            .orElse(null);
            assertThat(condition)
                    .as("%s condition of %s %s", type, kind.getSimpleName(), name)
                    .isNotNull();
            assertThat(condition.observedGeneration)
                    .isEqualTo(live.getMetadata().getGeneration());
            assertThat(condition.status.name())
                    .as("%s status (%s: %s)", type, condition.reason, condition.message)
                    .isEqualTo(status);
            assertThat(condition.reason)
                    .as("%s reason (%s)", type, condition.message)
                    .isEqualTo(reason);
            found[0] = condition;
        });
        return found[0];
    }
}
