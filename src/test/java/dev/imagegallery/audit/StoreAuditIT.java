package dev.imagegallery.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.imagegallery.api.Condition;
import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.api.Region;
import dev.imagegallery.testing.Await;
import dev.imagegallery.testing.ClusterCleanup;
import dev.imagegallery.testing.NginxServer;
import dev.imagegallery.testing.Source;
import dev.imagegallery.testing.StoredFiles;
import dev.imagegallery.testing.TestCluster;
import dev.imagegallery.testing.TestOperator;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store audit against a real directory store: what a hand dropped in is reported on the Region
 * and left in place; a replica truncated by hand is found, announced with an Event, and copied again.
 */
class StoreAuditIT {
    @RegisterExtension
    static final NginxServer SOURCES = NginxServer.forSources();

    @RegisterExtension
    static final TestOperator operator =
            TestOperator.withTestSettings(Map.of("image-gallery.store-audit.interval", "2s"));

    private final KubernetesClient client = TestCluster.client();

    @Test
    void anOrphanIsReportedAndLeftInPlaceAndATruncatedReplicaIsCopiedAgainWithAWarning(@TempDir Path tmp)
            throws Exception {
        AuditedStore audited = AuditedStore.withAReadyVersion(client, SOURCES, tmp, 2);
        String ns = audited.namespace();
        String region = audited.region();
        Path store = audited.store();
        Source source = audited.source();
        String folder = audited.folder();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(orphanedObjects(region)).isEqualTo(0));

        String[] orphans = audited.dropOrphans();
        Path replica1 = store.resolve(folder + "1.0.0/1");
        try (RandomAccessFile file = new RandomAccessFile(replica1.toFile(), "rw")) {
            file.setLength(1000);
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Condition condition = orphanCondition(region);
            assertThat(condition).isNotNull();
            assertThat(condition.status.name()).isEqualTo("True");
            assertThat(condition.reason).isEqualTo("OrphansFound");
            assertThat(condition.message)
                    .isEqualTo("store s holds 2 objects no image version refers to: " + orphans[0] + ", " + orphans[1]);
            assertThat(orphanedObjects(region)).isEqualTo(2);
        });
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(Source.sha256Of(replica1)).as("replica 1, copied again").isEqualTo(source.sha256());
            assertThat(StoredFiles.markedDigest(Path.of(replica1 + ".sha256"))).isEqualTo(source.sha256());
        });
        Await.condition(client, ImageVersion.class, ns, "ubuntu-22.04-1.0.0", "Ready", "True", "Replicated");
        assertThat(client.v1().events().inNamespace(ns).list().getItems())
                .filteredOn(e -> "ReplicaDamaged".equals(e.getReason()))
                .singleElement()
                .satisfies(event -> {
                    assertThat(event.getType()).isEqualTo("Warning");
                    assertThat(event.getInvolvedObject().getName()).isEqualTo("ubuntu-22.04-1.0.0");
                    assertThat(event.getMessage())
                            .isEqualTo("Replica 1 of region " + region + " in store s holds 1000 bytes where "
                                    + (1 << 20) + " were verified: copying it again");
                });
        assertThat(StoredFiles.under(store))
                .as("the orphans are still there")
                .contains(folder + "0.9.0/0", folder + "0.9.0/0.sha256", "notes.txt");
        ClusterCleanup.deleteNamespaces(ns);
    }

    private Condition orphanCondition(String region) {
        Region live = client.resources(Region.class).withName(region).get();
        return live.getStatus() == null || live.getStatus().conditions == null
                ? null
                : live.getStatus().conditions.stream()
                        .filter(c -> c.type.equals("OrphanedObjects"))
                        .findFirst()
                        .orElse(null);
    }

    private Integer orphanedObjects(String region) {
        Region live = client.resources(Region.class).withName(region).get();
        return live.getStatus() == null || live.getStatus().stores == null
                ? null
                : live.getStatus().stores.get(0).orphanedObjects;
    }
}
