package dev.imagegallery.testing;

import dev.imagegallery.api.Region;
import dev.imagegallery.api.RegionSpec;
import dev.imagegallery.api.Store;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.TreeMap;

/** Regions of a test's own, named uniquely by the test since Regions are cluster-scoped. */
public final class TestRegions {
    private TestRegions() {}

    /** A public-cloud region without zones, with one store per entry of {@code endpoints} (store name to endpoint URL). */
    public static Region create(KubernetesClient client, String name, Map<String, String> endpoints) {
        Region region = new Region();
        region.setMetadata(new ObjectMetaBuilder().withName(name).build());
        region.setSpec(new RegionSpec());
        region.getSpec().stores = new TreeMap<>(endpoints)
                .entrySet().stream()
                        .map(e -> {
                            Store store = new Store();
                            store.name = e.getKey();
                            store.endpoint = e.getValue();
                            return store;
                        })
                        .toList();
        return client.resource(region).create();
    }
}
