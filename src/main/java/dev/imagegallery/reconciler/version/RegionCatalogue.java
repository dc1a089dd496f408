package dev.imagegallery.reconciler.version;

import dev.imagegallery.api.Region;
import dev.imagegallery.api.RegionSpec;
import dev.imagegallery.api.Store;
import dev.imagegallery.placement.PlacedReplica;
import dev.imagegallery.replication.ReplicaKey;
import dev.imagegallery.replication.VersionKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The Region catalogue as one reconcile read it, with each store looked up once.
 *
 * @param regions every Region
 * @param stores each region's stores, by store name
 */
public record RegionCatalogue(List<Region> regions, Map<String, Map<String, Store>> stores) {
    public static RegionCatalogue of(List<Region> regions) {
        return new RegionCatalogue(
                regions,
                regions.stream()
                        .collect(Collectors.toMap(
                                r -> r.getMetadata().getName(),
                                r -> r.getSpec().stores.stream()
                                        .collect(Collectors.toMap(s -> s.name, s -> s, (a, b) -> a)))));
    }

    /** The Regions' specs by name, for the rules. */
    Map<String, RegionSpec> specs() {
        return regions.stream().collect(Collectors.toMap(r -> r.getMetadata().getName(), Region::getSpec));
    }

    /** The store {@code name} of {@code region}, if the catalogue has it. */
    public Optional<Store> store(String region, String name) {
        return Optional.ofNullable(stores.getOrDefault(region, Map.of()).get(name));
    }

    /** The version's replica in {@code region}, with its store if the store is still there. */
    StoredReplica locate(VersionKey version, String region, PlacedReplica replica) {
        return new StoredReplica(
                new ReplicaKey(version, region, replica.index()),
                replica.store(),
                replica.zone(),
                store(region, replica.store()));
    }
}
