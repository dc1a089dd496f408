package dev.imagegallery.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.imagegallery.api.Condition;
import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.api.Region;
import dev.imagegallery.testing.Await;
import dev.imagegallery.testing.ClusterCleanup;
import dev.imagegallery.testing.Examples;
import dev.imagegallery.testing.NginxServer;
import dev.imagegallery.testing.Source;
import dev.imagegallery.testing.StoredFiles;
import dev.imagegallery.testing.TestCluster;
import dev.imagegallery.testing.TestOperator;
import dev.imagegallery.testing.TestRegions;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store audit against a real directory store: what a hand dropped in is reported on the Region
 * and left in place; a replica truncated by hand is found, announced with an Event, and copied again.
 */
class StoreAuditIT {
    private static final NginxServer SOURCE_SERVER = NginxServer.forSources();

    @RegisterExtension
    static final TestOperator operator =
            TestOperator.withTestSettings(Map.of("image-gallery.store-audit.interval", "2s"));

    private final KubernetesClient client = TestCluster.client();

    @BeforeAll
    static void startSource() {
        SOURCE_SERVER.start();
    }

    @AfterAll
    static void stopSource() {
        SOURCE_SERVER.close();
    }

    @Test
    void anOrphanIsReportedAndLeftInPlaceAndATruncatedReplicaIsCopiedAgainWithAWarning(@TempDir Path tmp)
            throws Exception {
        String ns = TestCluster.newNamespace("audit");
        String region = "audit-" + UUID.randomUUID().toString().substring(0, 6);
        Path store = Files.createDirectory(tmp.resolve("store"));
        TestRegions.create(client, region, Map.of("s", store.toUri().toString()));
        Source source = Source.of(SOURCE_SERVER.root().resolve(region + ".img"), 1 << 20);
        Examples.createUbuntuVersion(
                client, ns, region, SOURCE_SERVER.uri("/" + region + ".img").toString(), source, 2);
        Await.condition(client, ImageVersion.class, ns, "ubuntu-22.04-1.0.0", "Ready", "True", "Replicated");
        String folder = ns + "/contoso.images/ubuntu-22.04/";
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(orphanedObjects(region)).isEqualTo(0));

        // Left by hand, or by a release whose status was lost: an old version's replica and marker, and a stray file.
        Path leftover = Files.createDirectories(store.resolve(folder + "0.9.0")).resolve("0");
        Files.write(leftover, new byte[100]);
        Files.writeString(store.resolve(folder + "0.9.0/0.sha256"), "0".repeat(64) + "\n");
        Files.writeString(store.resolve("notes.txt"), "who put this here?");
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
                    .isEqualTo("store s holds 2 objects no image version refers to: " + folder + "0.9.0/0, notes.txt"
                            + " (left in place: the operator deletes nothing it finds)");
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
