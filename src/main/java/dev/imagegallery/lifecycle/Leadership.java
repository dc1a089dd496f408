package dev.imagegallery.lifecycle;

import dev.imagegallery.config.LeaderElectionConfig;
import dev.imagegallery.reconciler.version.ReplicationService;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.quarkus.runtime.Quarkus;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Leader election on a Lease, so that of several operator replicas (Helm replicaCount > 1) one
 * reconciles at a time. quarkus-operator-sdk asks for this configuration in the prod profile only
 * (quarkus.operator-sdk.activate-leader-election-for-profiles).
 *
 * <p>java-operator-sdk's own reaction to a lost Lease is {@code System.exit(1)} from the callback.
 * On SIGTERM that callback runs inside the shutdown sequence, where {@code System.exit} blocks for
 * ever: the JVM hung until SIGKILL and never released the Lease. Here a Lease given up by
 * {@link GracefulShutdown} is expected and released; only a Lease lost while running stops the
 * process, from a thread of its own.
 */
@Singleton
public class Leadership {
    private static final Logger LOG = Logger.getLogger(Leadership.class);
    static final String LEASE = "image-gallery-operator";

    private final ReplicationService replicator;
    private final LeaseFence fence;
    private final AtomicBoolean givingUp = new AtomicBoolean();
    private final AtomicBoolean lost = new AtomicBoolean();
    // Set when leader election is configured (prod profile); null without it.
    private volatile String namespace;

    public Leadership(ReplicationService replicator, LeaseFence fence) {
        this.replicator = replicator;
        this.fence = fence;
    }

    @Produces
    @Singleton
    LeaderElectionConfiguration leaderElection(
            @ConfigProperty(name = "pod.namespace") Optional<String> podNamespace,
            LeaderElectionConfig timings,
            KubernetesClient client) {
        timings.problem().ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        // The chart sets POD_NAMESPACE; run outside a cluster (./run), the kubeconfig's namespace or default holds the
        // Lease.
        namespace = podNamespace.orElseGet(
                () -> Optional.ofNullable(client.getNamespace()).orElse("default"));
        // The builder's configuration does not exit on a lost Lease (unlike the deprecated constructors);
        // stoppedLeading decides.
        // GracefulShutdownIT fails if a lost Lease ever exits the JVM again.
        LeaderElectionConfiguration configuration = LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(
                        LEASE)
                .withLeaseNamespace(namespace)
                .withIdentity(fence.writer())
                .withLeaseDuration(timings.leaseDuration())
                .withRenewDeadline(timings.renewDeadline())
                .withRetryPeriod(timings.retryPeriod())
                .withLeaderCallbacks(new LeaderCallbacks(
                        () -> LOG.infof("Leading as %s", fence.writer()), this::stoppedLeading, leader -> {}))
                .build();
        fence.require(
                () -> client.leases().inNamespace(namespace).withName(LEASE).get(), configuration.getRenewDeadline());
        return configuration;
    }

    /** From now on the Lease is given up on purpose (shutdown), not lost. */
    void stepDown() {
        givingUp.set(true);
    }

    /**
     * Gives the Lease up, so that another replica takes over at once instead of after the Lease expires.
     * Call after the operator stopped reconciling; does nothing without leader election, when another holds it, or
     * when it was lost: then the API server is likely out of reach, and trying would only delay the exit.
     */
    void release(KubernetesClient client) {
        if (namespace == null || lost.get()) {
            return;
        }
        var lease = client.leases().inNamespace(namespace).withName(LEASE);
        try {
            Lease current = lease.get();
            if (current == null || !fence.writer().equals(current.getSpec().getHolderIdentity())) {
                return;
            }
            // What client-go writes on release, with the holder really cleared (fabric8's release leaves it, as its
            // patch omits nulls); the resourceVersion makes it a no-op if another replica took the Lease meanwhile.
            String now = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX")
                    .format(ZonedDateTime.now(ZoneOffset.UTC));
            lease.patch(PatchContext.of(PatchType.JSON_MERGE), """
          {"metadata":{"resourceVersion":"%s"},"spec":{"holderIdentity":null,"leaseDurationSeconds":1,"renewTime":"%s"}}""".formatted(
                            current.getMetadata().getResourceVersion(), now));
            LOG.infof("Released the Lease %s/%s", namespace, LEASE);
        } catch (KubernetesClientException e) {
            LOG.warnf("Could not release the Lease %s/%s (it expires by itself): %s", namespace, LEASE, e.getMessage());
        }
    }

    private void stoppedLeading() {
        if (givingUp.get()) {
            LOG.infof("Stopped leading as %s: shutting down", fence.writer());
            return;
        }
        lost.set(true);
        LOG.errorf(
                "Lost the Lease as %s while running: stopping copies and exiting, so that only the new leader writes",
                fence.writer());
        replicator.stopCopies(GracefulShutdown.COPY_STOP_TIMEOUT);
        Quarkus.asyncExit(1);
    }
}
