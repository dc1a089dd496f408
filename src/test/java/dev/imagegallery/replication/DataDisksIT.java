package dev.imagegallery.replication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.testing.Await;
import dev.imagegallery.testing.Examples;
import dev.imagegallery.testing.Source;
import dev.imagegallery.testing.TestCluster;
import dev.imagegallery.testing.TestOperator;
import dev.imagegallery.testing.TestRegions;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Data disks beside the OS disk, in a region of file stores: each disk copied and verified, a bad one named by its LUN. */
class DataDisksIT {
    @RegisterExtension
    static final TestOperator operator = TestOperator.withTestSettings();

    private final KubernetesClient client = TestCluster.client();

    @Test
    void everyDiskOfEveryReplicaIsCopiedAndVerifiedAndABadDataDiskFailsItsRegionNamingTheLun(@TempDir Path tmp)
            throws Exception {
        String ns = TestCluster.newNamespace("data-disks");
        String region = "dd-" + UUID.randomUUID().toString().substring(0, 6);
        TestRegions.withDirectoryStores(client, region, tmp, "s");
        Path store = tmp.resolve(region + "-s");
        Source os = Source.of(tmp.resolve("source/os.img"), 8192);
        Source lun0 = Source.of(tmp.resolve("source/lun0.img"), 4096);
        Source lun7 = Source.of(tmp.resolve("source/lun7.img"), 2048);
        Examples.applyUbuntuDefinition(client, ns);

        client.resource(version(
                        ns, "1.0.0", region, os, List.of(disk(0, lun0, lun0.sha256()), disk(7, lun7, lun7.sha256()))))
                .create();
        Await.condition(client, ImageVersion.class, ns, "ubuntu-22.04-1.0.0", "Ready", "True", "Replicated");
        String folder = ns + "/contoso.images/ubuntu-22.04/1.0.0/";
        for (int index = 0; index < 2; index++) {
            assertThat(Source.sha256Of(store.resolve(folder + index))).isEqualTo(os.sha256());
            assertThat(Source.sha256Of(store.resolve(folder + index + "-lun0"))).isEqualTo(lun0.sha256());
            assertThat(Source.sha256Of(store.resolve(folder + index + "-lun7"))).isEqualTo(lun7.sha256());
        }
        ImageVersion ready = client.resources(ImageVersion.class)
                .inNamespace(ns)
                .withName("ubuntu-22.04-1.0.0")
                .get();
        assertThat(ready.getStatus().replicationStatus.summary.get(0).replicas.get(0).dataDisks)
                .extracting(d -> d.lun + "=" + d.state)
                .containsExactly("0=Completed", "7=Completed");

        client.resource(version(ns, "1.1.0", region, os, List.of(disk(7, lun7, "ab".repeat(32)))))
                .create();
        var failed = Await.condition(
                client, ImageVersion.class, ns, "ubuntu-22.04-1.1.0", "Stalled", "True", "RegionFailed");
        assertThat(failed.message).contains("data disk LUN 7");
    }

    private static GenericKubernetesResource version(
            String ns, String number, String region, Source os, List<Map<String, Object>> dataDisks) {
        GenericKubernetesResource version = Examples.version(
                ns,
                "ubuntu-22.04-" + number,
                "ubuntu-22.04",
                number,
                region,
                os.path().toUri().toString(),
                os.sha256(),
                os.size(),
                List.of(Map.of("name", region, "regionalReplicaCount", 2)));
        Examples.set(version, "spec.dataDisks", dataDisks);
        return version;
    }

    private static Map<String, Object> disk(int lun, Source source, String sha256) {
        return Map.of(
                "lun",
                lun,
                "source",
                Map.of("url", source.path().toUri().toString(), "sha256", sha256, "sizeBytes", source.size()));
    }
}
