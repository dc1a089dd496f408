package dev.imagegallery.testing;

import dev.imagegallery.api.Region;
import dev.imagegallery.api.RegionSpec;
import dev.imagegallery.api.Store;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /** A region like {@link #create} with one {@code file://} store per name, each a new directory below {@code dir}. */
    public static Region withDirectoryStores(KubernetesClient client, String name, Path dir, String... stores)
            throws IOException {
        Map<String, String> endpoints = new TreeMap<>();
        for (String store : stores) {
            endpoints.put(
                    store,
                    Files.createDirectories(dir.resolve(name + "-" + store))
                            .toUri()
                            .toString());
        }
        return create(client, name, endpoints);
    }
}
