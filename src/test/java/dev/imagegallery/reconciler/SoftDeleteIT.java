package dev.imagegallery.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.imagegallery.api.Gallery;
import dev.imagegallery.api.GalleryStatus.SoftDeletedVersion;
import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.testing.Await;
import dev.imagegallery.testing.Examples;
import dev.imagegallery.testing.NginxServer;
import dev.imagegallery.testing.Source;
import dev.imagegallery.testing.StoredFiles;
import dev.imagegallery.testing.TestCluster;
import dev.imagegallery.testing.TestOperator;
import dev.imagegallery.testing.TestRegions;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Soft delete on a gallery, with a day of 10 s: a deleted version's replicas stay, recorded in the
 * gallery's status, and the store audit (deleting orphans after 3 s) leaves them alone; re-created
 * with the same number and digest, the version is Ready without a request to its source; left
 * alone, its replicas go when its time is up.
 */
class SoftDeleteIT {
    private static final Duration DAY = Duration.ofSeconds(10);
    private static final long RESTORED_IMAGE_SIZE = 128L << 20;

    @RegisterExtension
    static final NginxServer SOURCES = NginxServer.forSources();

    @RegisterExtension
    static final TestOperator operator = TestOperator.withTestSettings(Map.of(
            "image-gallery.soft-delete.day",
            DAY.toSeconds() + "s",
            "image-gallery.store-audit.interval",
            "2s",
            "image-gallery.store-audit.delete-orphans-after",
            "3s"));

    private final KubernetesClient client = TestCluster.client();
    private String ns;
    private String region;
    private Path store;
    private Source source;
    private String sourceUrl;

    @BeforeEach
    void aRegionAndASource(@TempDir Path tmp) throws Exception {
        ns = TestCluster.newNamespace("soft-delete");
        region = "sd-" + UUID.randomUUID().toString().substring(0, 6);
        TestRegions.withDirectoryStores(client, region, tmp, "s");
        store = tmp.resolve(region + "-s");
        source = Source.of(SOURCES.root().resolve(region + ".img"), 1 << 20);
        sourceUrl = SOURCES.uri("/" + region + ".img").toString();
    }

    /**
     * With a 128 MiB image served at 64 MiB/s, the time a user waits for Ready is printed for the first
     * creation (a copy from the source, then one from the first replica) and for the restore, side by side.
     */
    @Test
    void aVersionCreatedAgainWithinTheWindowIsRestoredWithoutReadingItsSource() throws Exception {
        source = SOURCES.steadyImage(RESTORED_IMAGE_SIZE);
        sourceUrl = SOURCES.steadyImageUrl();
        createGallery(3);
        Instant created = Instant.now();
        createVersion();
        Await.condition(
                client,
                ImageVersion.class,
                ns,
                "ubuntu-22.04-1.0.0",
                "Ready",
                "True",
                "Replicated",
                Duration.ofSeconds(90));
        Duration copied = Duration.between(created, Instant.now());
        List<String> replicas = replicaFiles();
        assertThat(replicas).hasSize(2);

        Instant deleted = Instant.now();
        deleteVersionAndAwaitItGone();
        SoftDeletedVersion recorded = softDeleted().get(0);
        assertThat(recorded.version).isEqualTo("1.0.0");
        assertThat(recorded.sha256).isEqualTo(source.sha256());
        assertThat(Duration.between(Instant.parse(recorded.deletedAt), Instant.parse(recorded.expiresAt)))
                .isEqualTo(DAY.multipliedBy(3));
        assertThat(Instant.parse(recorded.deletedAt)).isBetween(deleted.minusSeconds(1), Instant.now());
        assertThat(replicaFiles()).isEqualTo(replicas);

        int requestsBefore = SOURCES.requests().size();
        Instant recreated = Instant.now();
        createVersion();
        Await.condition(client, ImageVersion.class, ns, "ubuntu-22.04-1.0.0", "Ready", "True", "Replicated");
        System.out.printf(
                "SoftDeleteIT: a version of 2 replicas of %d MiB: Ready %d ms after its creation (copied),"
                        + " %d ms after its re-creation (restored)%n",
                RESTORED_IMAGE_SIZE >> 20,
                copied.toMillis(),
                Duration.between(recreated, Instant.now()).toMillis());
        assertThat(SOURCES.requests()).hasSize(requestsBefore);
        assertThat(replicaFiles()).isEqualTo(replicas);
        assertThat(client.v1().events().inNamespace(ns).list().getItems())
                .filteredOn(e -> "Restored".equals(e.getReason()))
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e.getMessage())
                        .startsWith("restoring from the replicas ImageVersion ubuntu-22.04-1.0.0 left in the stores"));
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(softDeleted())
                        .as("the gallery's soft-deleted versions once the version holds its replicas again")
                        .isEmpty());
        // Past the window it would have had: the restored version's replicas are its own.
        Thread.sleep(DAY.multipliedBy(3)
                .plusSeconds(2)
                .minus(Duration.between(deleted, Instant.now()))
                .toMillis());
        assertThat(replicaFiles()).isEqualTo(replicas);
    }

    @Test
    void aSoftDeletedVersionsReplicasGoWhenItsTimeIsUp() throws Exception {
        List<String> replicas = aReadyVersionInAGalleryKeepingItsDeletedOnesADay();

        deleteVersionAndAwaitItGone();
        Instant expires = Instant.parse(softDeleted().get(0).expiresAt);
        // The store audit runs every 2 s and deletes orphans after 3 s: these are not orphans.
        Thread.sleep(Math.max(
                0, Duration.between(Instant.now(), expires).minusSeconds(2).toMillis()));
        assertThat(replicaFiles()).isEqualTo(replicas);

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(replicaFiles())
                        .as("replica files once the soft delete expired")
                        .isEmpty());
        assertThat(Instant.now()).isAfter(expires);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(softDeleted()).isEmpty());
        assertThat(client.v1().events().inNamespace(ns).list().getItems())
                .filteredOn(e -> "SoftDeleteExpired".equals(e.getReason()))
                .singleElement()
                .satisfies(e -> assertThat(e.getMessage())
                        .startsWith("soft-deleted ImageVersion ubuntu-22.04-1.0.0 (ubuntu-22.04 1.0.0, deleted at ")
                        .endsWith(" its 2 replicas are deleted from their stores"));
    }

    /**
     * A tenant allowed to write its gallery's status forges records: one of its live version, expired long
     * ago, and one whose names climb out of the gallery's folder. Neither deletes a byte, in a day of this
     * test: the live version holds its replicas, the other names no path the operator would write; and
     * the operator's next status write removes both.
     */
    @Test
    void recordsATenantForgesInItsGallerysStatusDeleteNothing() throws Exception {
        List<String> replicas = aReadyVersionInAGalleryKeepingItsDeletedOnesADay();
        SoftDeletedVersion ofTheLiveVersion = forged("ubuntu-22.04", "1.0.0");
        SoftDeletedVersion climbing = forged("../../other-team/contoso.images/ubuntu-22.04", "1.0.0");

        var gallery = client.resources(Gallery.class).inNamespace(ns).withName("contoso.images");
        gallery.editStatus(g -> {
            g.getStatus().softDeletedVersions = List.of(ofTheLiveVersion, climbing);
            return g;
        });
        // A change of its spec has the gallery reconciled at once.
        long generation = gallery.edit(g -> {
                    g.getSpec().description = "touched";
                    return g;
                })
                .getMetadata()
                .getGeneration();

        // The operator's status replaces what the tenant wrote, though the tenant's field manager owns it.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(gallery.get().getStatus().observedGeneration).isEqualTo(generation);
            assertThat(softDeleted())
                    .as("the forged records, in the stored status")
                    .isEmpty();
        });
        Thread.sleep(DAY.toMillis());
        assertThat(replicaFiles()).isEqualTo(replicas);
        assertThat(client.v1().events().inNamespace(ns).list().getItems())
                .noneMatch(e -> "SoftDeleteExpired".equals(e.getReason()));
        Await.condition(client, ImageVersion.class, ns, "ubuntu-22.04-1.0.0", "Ready", "True", "Replicated");
    }

    private SoftDeletedVersion forged(String definition, String version) {
        SoftDeletedVersion forged = new SoftDeletedVersion();
        forged.imageDefinition = definition;
        forged.version = version;
        forged.name = "ubuntu-22.04-" + version;
        forged.sha256 = source.sha256();
        forged.sizeBytes = source.size();
        forged.deletedAt = "2026-01-01T00:00:00Z";
        forged.expiresAt = "2026-01-02T00:00:00Z";
        var replica = new dev.imagegallery.api.GalleryStatus.SoftDeletedReplica();
        replica.region = region;
        replica.index = 0;
        replica.store = "s";
        forged.replicas = List.of(replica);
        return forged;
    }

    /** A Ready version in a gallery whose soft delete keeps versions a day; returns the version's replica files. */
    private List<String> aReadyVersionInAGalleryKeepingItsDeletedOnesADay() throws Exception {
        createGallery(1);
        createVersion();
        Await.condition(client, ImageVersion.class, ns, "ubuntu-22.04-1.0.0", "Ready", "True", "Replicated");
        return replicaFiles();
    }

    private void createGallery(int retentionDays) {
        GenericKubernetesResource gallery = Examples.get("Gallery", "contoso.images", ns);
        Examples.set(gallery, "spec.softDelete", Map.of("enabled", true, "retentionDays", retentionDays));
        client.resource(gallery).create();
        client.resource(Examples.get("ImageDefinition", "ubuntu-22.04", ns)).create();
    }

    private void createVersion() {
        client.resource(Examples.version(
                        ns,
                        "ubuntu-22.04-1.0.0",
                        "ubuntu-22.04",
                        "1.0.0",
                        region,
                        sourceUrl,
                        source.sha256(),
                        source.size(),
                        List.of(Map.of("name", region, "regionalReplicaCount", 2))))
                .create();
    }

    private void deleteVersionAndAwaitItGone() {
        var version = client.resources(ImageVersion.class).inNamespace(ns).withName("ubuntu-22.04-1.0.0");
        version.delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> version.get() == null);
    }

    private List<SoftDeletedVersion> softDeleted() {
        var status = client.resources(Gallery.class)
                .inNamespace(ns)
                .withName("contoso.images")
                .get()
                .getStatus();
        return status.softDeletedVersions == null ? List.of() : status.softDeletedVersions;
    }

    /** The replicas' files (without markers or staged copies), sorted. */
    private List<String> replicaFiles() throws Exception {
        return StoredFiles.under(store).stream()
                .filter(f -> f.matches(".*/1\\.0\\.0/[0-9]+"))
                .sorted()
                .toList();
    }
}
