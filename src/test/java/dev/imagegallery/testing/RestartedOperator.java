package dev.imagegallery.testing;

import dev.imagegallery.api.Gallery;
import dev.imagegallery.api.ImageDefinition;
import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.api.Region;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/** An operator started again on a converged cluster, to count what it writes (it should write nothing). */
public final class RestartedOperator {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private RestartedOperator() {}

    /**
     * Waits until the operator has converged, stops it, starts it again, waits until it has reconciled every object in the cluster
     * and gone idle (replicas checked in their stores, not copied again), and returns every write to
     * our kinds that the API server audited since the restart. Every test leaves the cluster as it
     * found it ({@link ClusterCleanup}), so every object in it is the test's own.
     */
    public static List<AuditLog.Write> writesAfterRestart(TestOperator operator) {
        KubernetesClient client = TestCluster.client();
        List<HasMetadata> objects = Stream.concat(
                        client.resources(Region.class).list().getItems().stream(),
                        Stream.of(Gallery.class, ImageDefinition.class, ImageVersion.class)
                                .flatMap(kind -> client.resources(kind).inAnyNamespace().list().getItems().stream()))
                .map(HasMetadata.class::cast)
                .toList();
        // A parent's count written less than a count interval ago waits for its interval's end (CountPacing): the
        // cluster has converged only once that write is made, so the operator must stay idle past the interval.
        operator.activity()
                .awaitSettled(
                        objects,
                        TIMEOUT,
                        operator.settings().status().countInterval().multipliedBy(2));
        operator.stop();
        Instant start = Instant.now();
        operator.start();
        operator.activity().awaitSettled(objects, TIMEOUT);
        return AuditLog.writesSince(start, write -> true);
    }
}
