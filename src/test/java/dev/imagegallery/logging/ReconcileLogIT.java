package dev.imagegallery.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegallery.testing.ConsoleLog;
import dev.imagegallery.testing.ControlPlaneTestResource;
import dev.imagegallery.testing.FailingReconcile;
import dev.imagegallery.testing.TestCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** The text log, as the console prints it, names the object whose reconcile wrote each line. */
@QuarkusTest
@QuarkusTestResource(ControlPlaneTestResource.class)
class ReconcileLogIT {
    @Inject
    KubernetesClient client;

    @Test
    void aFailedReconcileIsLoggedWithTheKindNamespaceAndNameOfItsObject() {
        String ns = TestCluster.newNamespace("log");
        try (ConsoleLog log = ConsoleLog.capture()) {
            FailingReconcile.ofAGallery(client, ns);

            log.awaitLine(line -> assertThat(line)
                    .matches(
                            "(?s)\\S+ \\S+ WARN  \\[io\\.jav\\.ope\\.pro\\.eve\\.EventProcessor\\] \\(ReconcilerExecutor-gallery-\\d+\\) "
                                    + "Gallery " + ns + "/" + FailingReconcile.GALLERY
                                    + " Uncaught error during event processing .*cannot change roleRef.*"));
        }
    }
}
