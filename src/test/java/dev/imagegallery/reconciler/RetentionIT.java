package dev.imagegallery.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.imagegallery.api.ImageDefinition;
import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.testing.Await;
import dev.imagegallery.testing.Examples;
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
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An image definition's retention, on two regions of file stores: versions older than the newest
 * {@code keepLatest} keep replicas in their source region only, every version stays Ready, no spec
 * is touched, and the window moves as versions are deleted and promoted.
 */
class RetentionIT {
    private static final Duration MOVE = Duration.ofSeconds(45);

    @RegisterExtension
    static final TestOperator operator = TestOperator.withTestSettings();

    private final KubernetesClient client = TestCluster.client();
    private String ns;
    private String home;
    private String away;
    private Path awayStore;
    private Path homeStore;
    private Source source;

    @BeforeEach
    void twoRegions(@TempDir Path tmp) throws Exception {
        ns = TestCluster.newNamespace("retention");
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        home = "home-" + suffix;
        away = "away-" + suffix;
        TestRegions.withDirectoryStores(client, home, tmp, "s");
        TestRegions.withDirectoryStores(client, away, tmp, "s");
        homeStore = tmp.resolve(home + "-s");
        awayStore = tmp.resolve(away + "-s");
        source = Source.of(tmp.resolve("source/image.img"), 8192);
    }

    @Test
    void olderVersionsKeepOnlyTheirSourceRegionAndTheWindowMovesWithDeletionAndPromotion() throws Exception {
        applyDefinition(Map.of("keepLatest", 2, "olderVersions", Map.of("keepIn", "SourceRegionOnly")), null);
        for (String number : List.of("1.0.0", "1.1.0", "1.2.0", "1.3.0")) {
            createVersion(number, false, null);
        }
        awaitKept("1.0.0", home);
        awaitKept("1.1.0", home);
        awaitKept("1.2.0", home, away);
        awaitKept("1.3.0", home, away);
        assertThat(version("1.0.0").getStatus().retention.details)
                .isEqualTo("older than the 2 newest versions of image definition ubuntu-22.04 (1.3.0, 1.2.0):"
                        + " spec.retention keeps it in its source region " + home + " only");
        assertThat(version("1.0.0").getStatus().replicationStatus.regions).isEqualTo("1/1");
        // Nothing was written to a spec: generation 1 is the spec each was created with.
        for (String number : List.of("1.0.0", "1.1.0", "1.2.0", "1.3.0")) {
            assertThat(version(number).getMetadata().getGeneration()).isEqualTo(1L);
        }

        client.resources(ImageVersion.class)
                .inNamespace(ns)
                .withName(name("1.3.0"))
                .delete();
        awaitKept("1.1.0", home, away);
        awaitKept("1.0.0", home);

        // A new version excluded from latest moves nothing until it is promoted.
        createVersion("1.4.0", true, null);
        awaitKept("1.4.0", home, away);
        awaitKept("1.1.0", home, away);
        client.resources(ImageVersion.class)
                .inNamespace(ns)
                .withName(name("1.4.0"))
                .edit(v -> {
                    v.getSpec().publishingProfile.excludeFromLatest = false;
                    return v;
                });
        awaitKept("1.1.0", home);
        awaitKept("1.2.0", home, away);
        assertThat(version("1.1.0").getMetadata().getGeneration()).isEqualTo(1L);
    }

    @Test
    void aVersionIsDeletedItsGivenTimeAfterItsEndOfLifeWithAnEventOnItsDefinition() throws Exception {
        applyDefinition(Map.of("keepLatest", 5), "2s");
        String endOfLife =
                Instant.now().plusSeconds(8).truncatedTo(ChronoUnit.SECONDS).toString();
        createVersion("1.0.0", false, endOfLife);
        createVersion("1.1.0", false, null);
        Await.condition(client, ImageVersion.class, ns, name("1.0.0"), "Ready", "True", "Replicated");

        await().atMost(Duration.ofSeconds(40))
                .until(() -> client.resources(ImageVersion.class)
                                .inNamespace(ns)
                                .withName(name("1.0.0"))
                                .get()
                        == null);
        assertThat(Instant.now()).isAfter(Instant.parse(endOfLife).plusSeconds(2));
        assertThat(StoredFiles.under(homeStore)).noneMatch(f -> f.contains("/1.0.0/"));
        assertThat(client.v1().events().inNamespace(ns).list().getItems())
                .filteredOn(e -> "VersionDeleted".equals(e.getReason()))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.getInvolvedObject().getName()).isEqualTo("ubuntu-22.04");
                    assertThat(e.getMessage())
                            .isEqualTo("deleted ImageVersion " + name("1.0.0") + " (version 1.0.0, end of life "
                                    + endOfLife + "): spec.retention.deleteAfterEndOfLife is 2s");
                });
        assertThat(version("1.1.0")).isNotNull();
    }

    private void applyDefinition(Map<String, Object> retention, String deleteAfterEndOfLife) {
        client.resource(Examples.get("Gallery", "contoso.images", ns))
                .forceConflicts()
                .serverSideApply();
        GenericKubernetesResource definition = Examples.get("ImageDefinition", "ubuntu-22.04", ns);
        Map<String, Object> policy = new java.util.HashMap<>(retention);
        if (deleteAfterEndOfLife != null) {
            policy.put("deleteAfterEndOfLife", deleteAfterEndOfLife);
        }
        Examples.set(definition, "spec.retention", policy);
        client.resource(definition).create();
        Await.condition(client, ImageDefinition.class, ns, "ubuntu-22.04", "Ready", "True", "Available");
    }

    private void createVersion(String number, boolean excludedFromLatest, String endOfLife) {
        GenericKubernetesResource version = Examples.version(
                ns,
                name(number),
                "ubuntu-22.04",
                number,
                home,
                source.path().toUri().toString(),
                source.sha256(),
                source.size(),
                List.of(Map.of("name", home), Map.of("name", away)));
        Examples.set(version, "spec.publishingProfile.excludeFromLatest", excludedFromLatest);
        Examples.set(version, "spec.publishingProfile.endOfLifeDate", endOfLife);
        client.resource(version).create();
    }

    /** Waits until the version is Ready with replicas in exactly these regions, its files there and nowhere else. */
    private void awaitKept(String number, String... regions) {
        List<String> expected = List.of(regions);
        await().atMost(MOVE).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            ImageVersion version = version(number);
            assertThat(version.getStatus()).isNotNull();
            assertThat(version.getStatus().retention.targetRegions).isEqualTo(expected);
            assertThat(version.getStatus().retention.newest).isEqualTo(expected.size() == 2);
            assertThat(version.getStatus().conditions)
                    .anySatisfy(c -> assertThat(c.type + "=" + c.status + "/" + c.reason + "@" + c.observedGeneration)
                            .isEqualTo("Ready=True/Replicated@"
                                    + version.getMetadata().getGeneration()));
            assertThat(version.getStatus().replicationStatus.summary)
                    .extracting(r -> r.region)
                    .containsExactlyElementsOf(expected);
            assertThat(StoredFiles.under(homeStore).stream().anyMatch(f -> f.contains("/" + number + "/0")))
                    .as("a replica of %s in %s", number, home)
                    .isTrue();
            assertThat(StoredFiles.under(awayStore).stream().anyMatch(f -> f.contains("/" + number + "/")))
                    .as("files of %s in %s", number, away)
                    .isEqualTo(expected.contains(away));
        });
    }

    private ImageVersion version(String number) {
        return client.resources(ImageVersion.class)
                .inNamespace(ns)
                .withName(name(number))
                .get();
    }

    private static String name(String number) {
        return "ubuntu-22.04-" + number;
    }
}
