package dev.imagegallery.lifecycle;

import dev.imagegallery.reconciler.version.ReplicationService;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import org.jboss.logging.Logger;
import sun.misc.Signal;

/**
 * How the operator stops on SIGTERM (a rollout, a node drain): copies stop at a point the next
 * leader starts from, reconciles in flight finish (quarkus.operator-sdk.termination-timeout, which
 * the chart sets to the grace period less {@link #COPY_STOP_TIMEOUT} and 5 s), the Lease is released
 * so that another replica takes over at once, and the process exits 0.
 */
@Singleton
public class GracefulShutdown {
    private static final Logger LOG = Logger.getLogger(GracefulShutdown.class);
    /** How long copies get to stop; they only need to notice that they were cancelled. */
    static final Duration COPY_STOP_TIMEOUT = Duration.ofSeconds(5);

    private final Operator operator;
    private final ReplicationService replicator;
    private final Leadership leadership;
    private final KubernetesClient client;

    public GracefulShutdown(
            Operator operator, ReplicationService replicator, Leadership leadership, KubernetesClient client) {
        this.operator = operator;
        this.replicator = replicator;
        this.leadership = leadership;
        this.client = client;
    }

    void onStart(@Observes StartupEvent event) {
        if (LaunchMode.current() == LaunchMode.NORMAL) {
            // Quarkus handles SIGTERM itself only in native images; in a JVM the signal's default ends the
            // process with 143 after the shutdown hooks. The same graceful stop, ending with 0:
            Signal.handle(new Signal("TERM"), signal -> Quarkus.asyncExit(0));
        }
    }

    /** Runs before quarkus-operator-sdk's own shutdown observer, which then finds the operator stopped. */
    void onShutdown(@Observes @Priority(Interceptor.Priority.APPLICATION) ShutdownEvent event) {
        LOG.info("Shutting down: stopping copies, then reconciles, then giving up the Lease");
        leadership.stepDown();
        replicator.stopCopies(COPY_STOP_TIMEOUT);
        operator.stop();
        leadership.release(client);
    }
}
