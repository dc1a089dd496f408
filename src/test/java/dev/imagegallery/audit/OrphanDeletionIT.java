package dev.imagegallery.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.imagegallery.testing.ClusterCleanup;
import dev.imagegallery.testing.NginxServer;
import dev.imagegallery.testing.Source;
import dev.imagegallery.testing.StoredFiles;
import dev.imagegallery.testing.TestCluster;
import dev.imagegallery.testing.TestOperator;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store audit with storeAudit.deleteOrphansAfter set: an orphan the operator wrote (a
 * replica's path, with its marker) goes once no version referred to it for that long, with an
 * Event on the Region; a file someone else put there, and the replicas versions refer to, stay.
 */
class OrphanDeletionIT {
    private static final Duration GRACE = Duration.ofSeconds(6);

    @RegisterExtension
    static final NginxServer SOURCES = NginxServer.forSources();

    @RegisterExtension
    static final TestOperator operator = TestOperator.withTestSettings(Map.of(
            "image-gallery.store-audit.interval",
            "2s",
            "image-gallery.store-audit.delete-orphans-after",
            GRACE.toSeconds() + "s"));

    private final KubernetesClient client = TestCluster.client();

    @Test
    void anOrphanTheOperatorWroteIsDeletedAfterTheGracePeriodAndNothingElse(@TempDir Path tmp) throws Exception {
        AuditedStore audited = AuditedStore.withAReadyVersion(client, SOURCES, tmp, 1);
        String folder = audited.folder();
        Path store = audited.store();
        String[] orphans = audited.dropOrphans();
        Instant dropped = Instant.now();

        await().atMost(Duration.ofSeconds(45))
                .untilAsserted(() -> assertThat(StoredFiles.under(store))
                        .as("the store once the grace period is over")
                        .containsExactlyInAnyOrder(folder + "1.0.0/0", folder + "1.0.0/0.sha256", orphans[1]));
        assertThat(Duration.between(dropped, Instant.now())).isGreaterThanOrEqualTo(GRACE);
        // Recorded just after the deletion.
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(client.v1()
                                .events()
                                .inNamespace("default")
                                .list()
                                .getItems())
                        .filteredOn(e ->
                                audited.region().equals(e.getInvolvedObject().getName()))
                        .filteredOn(e -> "OrphanDeleted".equals(e.getReason()))
                        .singleElement()
                        .satisfies(event -> assertThat(event.getMessage())
                                .isEqualTo("Deleted " + orphans[0] + " and its marker from store s: no image version"
                                        + " referred to it for " + GRACE.toSeconds()
                                        + " s (storeAudit.deleteOrphansAfter)")));
        assertThat(Source.sha256Of(store.resolve(folder + "1.0.0/0")))
                .isEqualTo(audited.source().sha256());
        ClusterCleanup.deleteNamespaces(audited.namespace());
    }
}
