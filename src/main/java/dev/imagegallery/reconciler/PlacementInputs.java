package dev.imagegallery.reconciler;

import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.api.ImageVersionSpec;
import dev.imagegallery.api.ImageVersionSpec.TargetRegion;
import dev.imagegallery.api.Region;
import dev.imagegallery.api.Store;
import dev.imagegallery.placement.Catalogue;
import dev.imagegallery.placement.CatalogueRegion;
import dev.imagegallery.placement.CatalogueStore;
import dev.imagegallery.placement.PlacedVersion;
import dev.imagegallery.placement.PlacementRequest;
import dev.imagegallery.placement.RegionRequest;
import dev.imagegallery.placement.StorageType;
import dev.imagegallery.reconciler.version.ReplicaRecord;
import dev.imagegallery.replication.ObjectStore;
import dev.imagegallery.validation.StoreEndpoints;
import dev.imagegallery.validation.VersionCompatibility;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** Translates the custom resources into the placement engine's plain values. */
public final class PlacementInputs {
    private PlacementInputs() {}

    /** The regions as placement sees them: without the stores whose endpoint overlaps an earlier Region's store. */
    public static Catalogue catalogue(Collection<Region> regions) {
        Set<String> refused = StoreEndpoints.conflicts(claims(regions)).keySet().stream()
                .map(c -> c.region() + "/" + c.store())
                .collect(Collectors.toSet());
        return Catalogue.of(regions.stream()
                .map(r -> region(r, s -> !refused.contains(r.getMetadata().getName() + "/" + s.name)))
                .toList());
    }

    /** Every store of every Region, for {@link StoreEndpoints}. */
    public static List<StoreEndpoints.Claim> claims(Collection<Region> regions) {
        return regions.stream()
                .flatMap(r -> r.getSpec().stores.stream()
                        .map(s -> new StoreEndpoints.Claim(
                                r.getMetadata().getName(),
                                s.name,
                                s.endpoint,
                                Instant.parse(r.getMetadata().getCreationTimestamp()))))
                .toList();
    }

    /** The region with all its stores. */
    public static CatalogueRegion region(Region region) {
        return region(region, store -> true);
    }

    private static CatalogueRegion region(Region region, Predicate<Store> usable) {
        return new CatalogueRegion(
                region.getMetadata().getName(),
                region.getSpec().zones == null ? List.of() : region.getSpec().zones,
                region.getSpec().stores.stream()
                        .filter(usable)
                        .map(s -> new CatalogueStore(
                                s.name,
                                s.zone,
                                capacityBytes(s),
                                s.storageAccountTypes == null
                                        ? java.util.Set.of(StorageType.Standard_LRS)
                                        : s.storageAccountTypes.stream()
                                                .map(t -> StorageType.valueOf(t.name()))
                                                .collect(Collectors.toSet()),
                                ObjectStore.replicasPerVersion(s.endpoint)))
                        .toList());
    }

    /** A store's capacity in bytes, or null when unlimited. */
    public static Long capacityBytes(Store store) {
        return store.capacity == null
                ? null
                : Quantity.getAmountInBytes(new Quantity(store.capacity)).longValue();
    }

    /** Stores hold replicas of versions of every namespace: the key names the version uniquely. */
    public static String key(ImageVersion version) {
        return Keys.of(version);
    }

    /** The version's placement in {@code targets}: its spec's target regions, or those its retention keeps. */
    public static PlacementRequest request(ImageVersion version, List<TargetRegion> targets, long sizeBytes) {
        var spec = version.getSpec();
        return new PlacementRequest(
                key(version),
                sizeBytes,
                targets.stream()
                        .map(t -> new RegionRequest(
                                t.name,
                                VersionCompatibility.replicaCount(spec, t),
                                StorageType.valueOf(VersionCompatibility.storageType(spec, t)
                                        .name())))
                        .toList());
    }

    /** Where the version's replicas are now, as its status records them, each of the size all its disks take. */
    public static PlacedVersion placed(ImageVersion version) {
        return ReplicaRecord.of(version.getStatus()).placedVersion(key(version), version.getSpec());
    }

    /**
     * What one replica takes in its store: its OS disk of {@code osDiskBytes} and every data disk, which
     * go to the same store. Placement, store loads and byte quotas count this.
     */
    public static long replicaBytes(ImageVersionSpec spec, long osDiskBytes) {
        return osDiskBytes
                + DataDisks.of(spec).stream().mapToLong(d -> d.source.sizeBytes).sum();
    }
}
