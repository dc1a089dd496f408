package dev.imagegallery.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.imagegallery.api.ImageDefinition;
import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.api.Region;
import dev.imagegallery.testing.Await;
import dev.imagegallery.testing.Examples;
import dev.imagegallery.testing.Source;
import dev.imagegallery.testing.TestCluster;
import dev.imagegallery.testing.TestOperator;
import dev.imagegallery.testing.TestRegions;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A parent's status is not its children's business (issue 18): a status write to a Region or an
 * ImageDefinition reconciles none of their versions, and one to a Gallery none of its definitions,
 * counted with java-operator-sdk's metrics hook.
 */
class ParentStatusIT {
    private static final int VERSIONS = 3;

    @RegisterExtension
    static final TestOperator operator = TestOperator.withTestSettings();

    private final KubernetesClient client = TestCluster.client();

    @Test
    void aStatusWriteToARegionADefinitionOrAGalleryReconcilesNoneOfTheirChildren(@TempDir Path tmp) throws Exception {
        String ns = TestCluster.newNamespace("parent-status");
        String region = "ps-" + UUID.randomUUID().toString().substring(0, 6);
        TestRegions.withDirectoryStores(client, region, tmp, "s1");
        Source source = Source.of(tmp.resolve("source/image.img"), 4096);
        Examples.applyUbuntuDefinition(client, ns);
        IntStream.range(0, VERSIONS)
                .forEach(i -> client.resource(Examples.version(
                                ns,
                                "ubuntu-22.04-1.0." + i,
                                "ubuntu-22.04",
                                "1.0." + i,
                                region,
                                source.path().toUri().toString(),
                                source.sha256(),
                                source.size(),
                                List.of(Map.of("name", region))))
                        .create());
        for (int i = 0; i < VERSIONS; i++) {
            Await.condition(client, ImageVersion.class, ns, "ubuntu-22.04-1.0." + i, "Ready", "True", "Replicated");
        }
        var versions = client.resources(ImageVersion.class).inNamespace(ns);
        operator.activity().awaitSettled(versions.list().getItems(), Duration.ofSeconds(60));
        Map<String, Integer> before = reconcilesOf(versions.list().getItems());
        ImageDefinition ubuntu = client.resources(ImageDefinition.class)
                .inNamespace(ns)
                .withName("ubuntu-22.04")
                .get();
        int ubuntuReconciles = operator.activity().reconciles(ubuntu);

        // The definition's status as another writer might leave it: nothing its versions read.
        client.resources(ImageDefinition.class)
                .inNamespace(ns)
                .withName("ubuntu-22.04")
                .editStatus(d -> {
                    d.getStatus().imageVersionCount = 99;
                    return d;
                });
        // A version of another definition lands in the same Region: the operator writes the Region's status.
        client.resource(Examples.get("ImageDefinition", "windows-2022", ns)).create();
        var windows = Examples.get("ImageVersion", "windows-2022-2022.11.0", ns);
        Examples.set(windows, "spec.sourceRegion", region);
        Examples.set(windows, "spec.source.url", source.path().toUri().toString());
        Examples.set(windows, "spec.source.sha256", source.sha256());
        Examples.set(windows, "spec.source.sizeBytes", source.size());
        Examples.set(windows, "spec.publishingProfile.storageAccountType", "Standard_LRS");
        Examples.set(windows, "spec.publishingProfile.targetRegions", List.of(Map.of("name", region)));
        client.resource(windows).create();
        Await.condition(client, ImageVersion.class, ns, "windows-2022-2022.11.0", "Ready", "True", "Replicated");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(client.resources(Region.class)
                                .withName(region)
                                .get()
                                .getStatus()
                                .stores)
                        .as("the Region's status, written by the operator")
                        .singleElement()
                        .satisfies(store -> assertThat(store.replicas).isEqualTo(VERSIONS + 1)));
        operator.activity().awaitSettled(versions.list().getItems(), Duration.ofSeconds(60));

        assertThat(reconcilesOf(versions.list().getItems().stream()
                        .filter(v -> v.getSpec().imageDefinitionName.equals("ubuntu-22.04"))
                        .toList()))
                .as("reconciles of each version of ubuntu-22.04")
                .isEqualTo(before);
        assertThat(operator.activity().reconciles(ubuntu))
                .as("reconciles of ubuntu-22.04, whose gallery's status changed with its new definition")
                .isEqualTo(ubuntuReconciles);
    }

    private static Map<String, Integer> reconcilesOf(List<ImageVersion> versions) {
        return versions.stream()
                .collect(Collectors.toMap(
                        v -> v.getMetadata().getName(), v -> operator.activity().reconciles(v), (a, b) -> a));
    }
}
