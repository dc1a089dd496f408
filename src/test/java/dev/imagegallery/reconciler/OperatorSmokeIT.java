package dev.imagegallery.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.imagegallery.api.Region;
import dev.imagegallery.api.RegionSpec;
import dev.imagegallery.api.Store;
import dev.imagegallery.status.Conditions;
import dev.imagegallery.testing.ControlPlaneTestResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole chain: real control plane, CRDs installed, the operator running, a resource reconciled and read back. */
@QuarkusTest
@QuarkusTestResource(ControlPlaneTestResource.class)
class OperatorSmokeIT {
    @Inject
    KubernetesClient client;

    @TempDir
    Path tmp;

    @Test
    void regionWithAWritableStoreBecomesReady() throws Exception {
        Path store = Files.createDirectory(tmp.resolve("store"));
        Region region = client.resource(region(
                        "smoke-" + UUID.randomUUID().toString().substring(0, 8),
                        store.toUri().toString()))
                .create();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Region live = client.resources(Region.class)
                    .withName(region.getMetadata().getName())
                    .get();
            assertThat(live.getStatus()).isNotNull();
            assertThat(live.getStatus().observedGeneration).isEqualTo(1L);
            assertThat(Conditions.find(live.getStatus().conditions, "Ready")
                            .status
                            .name())
                    .isEqualTo("True");
            assertThat(live.getStatus().reachableStores).isEqualTo("1/1");
        });
    }

    @Test
    void regionWithAMissingStoreDirectorySaysWhichStoreAndWhy() {
        Region region = client.resource(region(
                        "smoke-" + UUID.randomUUID().toString().substring(0, 8), "file:///nonexistent/igo-smoke-store"))
                .create();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Region live = client.resources(Region.class)
                    .withName(region.getMetadata().getName())
                    .get();
            var ready = Conditions.find(live.getStatus() == null ? null : live.getStatus().conditions, "Ready");
            assertThat(ready).isNotNull();
            assertThat(ready.status.name()).isEqualTo("False");
            assertThat(ready.reason).isEqualTo("StoreUnreachable");
            assertThat(ready.message)
                    .isEqualTo("store store-1: StoreUnavailable: store file:///nonexistent/igo-smoke-store is not an"
                            + " existing directory");
        });
    }

    private static Region region(String name, String endpoint) {
        Store store = new Store();
        store.name = "store-1";
        store.endpoint = endpoint;
        RegionSpec spec = new RegionSpec();
        spec.stores = List.of(store);
        Region region = new Region();
        region.setMetadata(new ObjectMetaBuilder().withName(name).build());
        region.setSpec(spec);
        return region;
    }
}
