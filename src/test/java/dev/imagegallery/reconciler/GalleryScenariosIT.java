package dev.imagegallery.reconciler;

import static dev.imagegallery.testing.Examples.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.imagegallery.api.Gallery;
import dev.imagegallery.api.ImageDefinition;
import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.api.Region;
import dev.imagegallery.testing.Await;
import dev.imagegallery.testing.Cli;
import dev.imagegallery.testing.Edit;
import dev.imagegallery.testing.Examples;
import dev.imagegallery.testing.StoredFiles;
import dev.imagegallery.testing.TestCluster;
import dev.imagegallery.testing.TestOperator;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The gallery's cross-object rules, driven as a user would: apply objects, then wait on conditions. */
class GalleryScenariosIT {
    @RegisterExtension
    static final TestOperator operator = TestOperator.withTestSettings();

    private final KubernetesClient client = TestCluster.client();
    private String ns;

    /** The example Regions, for the whole class: no test changes them. */
    @BeforeAll
    static void regions() {
        Examples.applyRegions(TestCluster.client());
    }

    @BeforeEach
    void namespace() {
        ns = TestCluster.newNamespace("scenario");
    }

    @Test
    void childrenCreatedBeforeTheirParentsRecoverWhenTheParentsAppear() {
        create("ImageVersion", "ubuntu-22.04-1.0.0", o -> {});
        Await.condition(
                client, ImageVersion.class, ns, "ubuntu-22.04-1.0.0", "Ready", "False", "ImageDefinitionNotFound");

        create("ImageDefinition", "ubuntu-22.04", o -> {});
        Await.condition(client, ImageDefinition.class, ns, "ubuntu-22.04", "Ready", "False", "GalleryNotFound");

        create("Gallery", "contoso.images", o -> {});
        Await.condition(client, Gallery.class, ns, "contoso.images", "Ready", "True", "Available");
        Await.condition(client, ImageDefinition.class, ns, "ubuntu-22.04", "Ready", "True", "Available");
        Await.condition(client, ImageVersion.class, ns, "ubuntu-22.04-1.0.0", "Ready", "True", "Replicated");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Gallery gallery = client.resources(Gallery.class)
                    .inNamespace(ns)
                    .withName("contoso.images")
                    .get();
            assertThat(gallery.getStatus().imageDefinitionCount).isEqualTo(1);
            assertThat(gallery.getStatus().imageVersionCount).isEqualTo(1);
        });
    }

    @Test
    void aVersionIsReadyOnceEveryTargetRegionHoldsItsVerifiedBytes() throws IOException {
        createGalleryAndDefinition();
        create("ImageVersion", "ubuntu-22.04-1.0.0", o -> {});

        var ready =
                Await.condition(client, ImageVersion.class, ns, "ubuntu-22.04-1.0.0", "Ready", "True", "Replicated");
        assertThat(ready.message).isEqualTo("Usable in all 2 target regions");
        ImageVersion version = client.resources(ImageVersion.class)
                .inNamespace(ns)
                .withName("ubuntu-22.04-1.0.0")
                .get();
        assertThat(version.getStatus().replicationStatus.aggregatedState.name()).isEqualTo("Completed");
        assertThat(version.getStatus().replicationStatus.regions).isEqualTo("2/2");
        assertThat(version.getStatus().replicationStatus.summary)
                .extracting(r -> r.region)
                .containsExactly("westeurope", "eastus");
        // The examples' stores are directories of this machine: each replica is there, beside its digest marker.
        for (var region : version.getStatus().replicationStatus.summary) {
            for (var replica : region.replicas) {
                Path object = Path.of(URI.create(
                                client.resources(Region.class).withName(region.region).get().getSpec().stores.stream()
                                        .filter(s -> s.name.equals(replica.store))
                                        .findFirst()
                                        .orElseThrow()
                                        .endpoint))
                        .resolve(version.getStatus().replicationStatus.storagePath + "/" + replica.index);
                assertThat(object).hasSize(4194304);
                assertThat(StoredFiles.markedDigest(object.resolveSibling(replica.index + ".sha256")))
                        .isEqualTo(version.getSpec().source.sha256);
            }
        }
    }

    @Test
    void promotingAVersionMovesLatestToItAtOnce() {
        createGalleryAndDefinition();
        create("ImageVersion", "ubuntu-22.04-1.0.0", o -> {});
        create("ImageVersion", "ubuntu-22.04-1.2.0", o -> {});
        Await.condition(client, ImageVersion.class, ns, "ubuntu-22.04-1.0.0", "Ready", "True", "Replicated");
        Await.condition(client, ImageVersion.class, ns, "ubuntu-22.04-1.2.0", "Ready", "True", "Replicated");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(definition().getStatus().latestVersion)
                        .as("1.2.0 is excluded from latest")
                        .isEqualTo("1.0.0"));

        Edit.latest(
                client, version("ubuntu-22.04-1.2.0"), v -> v.getSpec().publishingProfile.excludeFromLatest = false);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(definition().getStatus().latestVersion).isEqualTo("1.2.0");
            assertThat(definition().getStatus().latestVersionByRegion).containsEntry("westeurope", "1.2.0");
        });
    }

    private ImageDefinition definition() {
        return client.resources(ImageDefinition.class)
                .inNamespace(ns)
                .withName("ubuntu-22.04")
                .get();
    }

    @Test
    void aDuplicateIdentifierStallsTheLaterDefinitionOnly() {
        createGalleryAndDefinition();
        create("ImageDefinition", "ubuntu-22.04", o -> o.getMetadata().setName("ubuntu-copy"));

        var stalled = Await.condition(
                client, ImageDefinition.class, ns, "ubuntu-copy", "Stalled", "True", "IdentifierConflict");
        assertThat(stalled.message).contains("Contoso/UbuntuServer/22_04-lts-gen2", "by ImageDefinition ubuntu-22.04");
        Await.condition(client, ImageDefinition.class, ns, "ubuntu-22.04", "Ready", "True", "Available");
        assertThat(warningReasons("ubuntu-copy")).contains("IdentifierConflict");
    }

    @Test
    void aDuplicateVersionStallsUntilTheFirstIsDeleted() {
        createGalleryAndDefinition();
        create("ImageVersion", "ubuntu-22.04-1.0.0", o -> {});
        Await.condition(client, ImageVersion.class, ns, "ubuntu-22.04-1.0.0", "Ready", "True", "Replicated");
        create("ImageVersion", "ubuntu-22.04-1.0.0", o -> o.getMetadata().setName("ubuntu-again"));

        var stalled =
                Await.condition(client, ImageVersion.class, ns, "ubuntu-again", "Stalled", "True", "VersionConflict");
        assertThat(stalled.message)
                .contains(
                        "version 1.0.0 of image definition ubuntu-22.04 already exists as ImageVersion ubuntu-22.04-1.0.0");

        client.resources(ImageVersion.class)
                .inNamespace(ns)
                .withName("ubuntu-22.04-1.0.0")
                .delete();
        Await.condition(client, ImageVersion.class, ns, "ubuntu-again", "Stalled", "False", "NotStalled");
    }

    @Test
    void aGalleryWithDefinitionsIsKeptUntilTheyAreDeleted() {
        createGalleryAndDefinition();
        create("ImageVersion", "ubuntu-22.04-1.0.0", o -> {});
        Await.condition(client, ImageVersion.class, ns, "ubuntu-22.04-1.0.0", "Ready", "True", "Replicated");

        client.resources(Gallery.class)
                .inNamespace(ns)
                .withName("contoso.images")
                .delete();
        var blocked = Await.condition(client, Gallery.class, ns, "contoso.images", "Ready", "False", "DeletionBlocked");
        assertThat(blocked.message)
                .isEqualTo("Can not delete the gallery before its image definitions are deleted: ubuntu-22.04");

        client.resources(ImageDefinition.class)
                .inNamespace(ns)
                .withName("ubuntu-22.04")
                .delete();
        var definitionBlocked =
                Await.condition(client, ImageDefinition.class, ns, "ubuntu-22.04", "Ready", "False", "DeletionBlocked");
        assertThat(definitionBlocked.message).endsWith("versions are deleted: ubuntu-22.04-1.0.0");

        client.resources(ImageVersion.class)
                .inNamespace(ns)
                .withName("ubuntu-22.04-1.0.0")
                .delete();
        await().atMost(Duration.ofSeconds(45)).untilAsserted(() -> {
            assertThat(client.resources(ImageDefinition.class)
                            .inNamespace(ns)
                            .withName("ubuntu-22.04")
                            .get())
                    .isNull();
            assertThat(client.resources(Gallery.class)
                            .inNamespace(ns)
                            .withName("contoso.images")
                            .get())
                    .isNull();
        });
    }

    @Test
    void removingARegionThatHoldsReplicasIsRefusedWhenTheSafetyProfileSaysSo() {
        createGalleryAndDefinition();
        create("ImageVersion", "ubuntu-22.04-1.1.0", o -> {});
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            var status = version("ubuntu-22.04-1.1.0").getStatus();
            assertThat(status).isNotNull();
            assertThat(status.replicationStatus.summary)
                    .filteredOn(r -> r.region.equals("eastus"))
                    .singleElement()
                    .satisfies(r -> assertThat(r.replicas).hasSize(2));
        });

        Edit.latest(
                client,
                version("ubuntu-22.04-1.1.0"),
                v -> v.getSpec().publishingProfile.targetRegions.removeIf(t -> t.name.equals("eastus")));

        var stalled = Await.condition(
                client, ImageVersion.class, ns, "ubuntu-22.04-1.1.0", "Stalled", "True", "RegionRemovalBlocked");
        assertThat(stalled.message).startsWith("target region eastus holds replicas");
        assertThat(version("ubuntu-22.04-1.1.0").getStatus().replicationStatus.summary)
                .filteredOn(r -> r.region.equals("eastus"))
                .singleElement()
                .satisfies(r -> assertThat(r.replicas).hasSize(2));
        assertThat(warningReasons("ubuntu-22.04-1.1.0")).contains("RegionRemovalBlocked");

        // Allowed, the removal goes through: the region's replicas are deleted from its stores.
        Edit.latest(
                client,
                version("ubuntu-22.04-1.1.0"),
                v -> v.getSpec().safetyProfile.allowDeletionOfReplicatedLocations = true);
        Await.condition(client, ImageVersion.class, ns, "ubuntu-22.04-1.1.0", "Ready", "True", "Replicated");
        var replication = version("ubuntu-22.04-1.1.0").getStatus().replicationStatus;
        assertThat(replication.summary).extracting(r -> r.region).containsExactly("westeurope", "northeurope");
        for (var store : client.resources(Region.class).withName("eastus").get().getSpec().stores) {
            assertThat(Path.of(URI.create(store.endpoint)).resolve(replication.storagePath))
                    .as("eastus store %s", store.name)
                    .satisfiesAnyOf(
                            dir -> assertThat(dir).doesNotExist(),
                            dir -> assertThat(dir).isEmptyDirectory());
        }
    }

    private ImageVersion version(String name) {
        return client.resources(ImageVersion.class)
                .inNamespace(ns)
                .withName(name)
                .get();
    }

    @Test
    void aRestrictedRegionRefusesNamespacesNotOnItsAllowList() {
        createGalleryAndDefinition();
        create(
                "ImageVersion",
                "ubuntu-22.04-1.0.0",
                o -> set(o, "spec.publishingProfile.targetRegions[1]", Map.of("name", "australiacentral")));

        var stalled = Await.condition(
                client, ImageVersion.class, ns, "ubuntu-22.04-1.0.0", "Stalled", "True", "RegionRestricted");
        assertThat(stalled.message)
                .isEqualTo("region australiacentral is restricted and namespace " + ns
                        + " is not in its spec.allowedNamespaces");
    }

    @Test
    void zoneRedundantStorageIsRefusedInARegionWithoutZones() {
        createGalleryAndDefinition();
        create(
                "ImageVersion",
                "ubuntu-22.04-1.0.0",
                o -> set(
                        o,
                        "spec.publishingProfile.targetRegions[1]",
                        Map.of("name", "eastus", "storageAccountType", "Standard_ZRS")));

        var stalled = Await.condition(
                client, ImageVersion.class, ns, "ubuntu-22.04-1.0.0", "Stalled", "True", "ZoneRedundancyUnavailable");
        assertThat(stalled.message)
                .isEqualTo("target region eastus asks for Standard_ZRS but region eastus has no zones");
    }

    @Test
    void replicationNeverCrossesClouds() {
        createGalleryAndDefinition();
        create(
                "ImageVersion",
                "ubuntu-22.04-1.0.0",
                o -> set(o, "spec.publishingProfile.targetRegions[1]", Map.of("name", "usgovvirginia")));

        var stalled = Await.condition(
                client, ImageVersion.class, ns, "ubuntu-22.04-1.0.0", "Stalled", "True", "CrossCloudReplication");
        assertThat(stalled.message).contains("target region usgovvirginia is in the Government cloud");
    }

    @Test
    void endOfLifeFlipsAtItsTimeWithAWarningEvent() {
        create("Gallery", "contoso.images", o -> {});
        String soon =
                Instant.now().plusSeconds(8).truncatedTo(ChronoUnit.SECONDS).toString();
        create("ImageDefinition", "ubuntu-22.04", o -> set(o, "spec.endOfLifeDate", soon));

        Await.condition(client, ImageDefinition.class, ns, "ubuntu-22.04", "EndOfLife", "False", "Supported");
        var reached = Await.condition(
                client, ImageDefinition.class, ns, "ubuntu-22.04", "EndOfLife", "True", "EndOfLifeReached");
        assertThat(reached.message).startsWith("End of life was " + soon);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(warningReasons("ubuntu-22.04")).contains("EndOfLifeReached"));
    }

    @Test
    void kubectlWaitForReadyWorksOnEveryKind() {
        createGalleryAndDefinition();
        Cli.kubectl(
                "wait",
                "--for=condition=Ready",
                "--timeout=60s",
                "-n",
                ns,
                "gallery/contoso.images",
                "imagedefinition/ubuntu-22.04");
        Cli.kubectl("wait", "--for=condition=Ready", "--timeout=60s", "region/westeurope", "region/eastus");
        create("ImageVersion", "ubuntu-22.04-1.0.0", o -> {});
        Cli.kubectl("wait", "--for=condition=Ready", "--timeout=60s", "-n", ns, "imageversion/ubuntu-22.04-1.0.0");
        assertThat(client.resources(Region.class).withName("westeurope").get().getStatus().reachableStores)
                .isEqualTo("3/3");
    }

    private void createGalleryAndDefinition() {
        create("Gallery", "contoso.images", o -> {});
        create("ImageDefinition", "ubuntu-22.04", o -> {});
        Await.condition(client, ImageDefinition.class, ns, "ubuntu-22.04", "Ready", "True", "Available");
    }

    private void create(String kind, String example, Consumer<GenericKubernetesResource> change) {
        GenericKubernetesResource object = Examples.get(kind, example, ns);
        change.accept(object);
        client.resource(object).create();
    }

    private List<String> warningReasons(String name) {
        return client.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> "Warning".equals(e.getType())
                        && name.equals(e.getInvolvedObject().getName()))
                .map(e -> e.getReason())
                .toList();
    }
}
