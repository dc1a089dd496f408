package dev.imagegallery.placement;

import java.util.Objects;
import java.util.Set;

/**
 * One store of a catalogue region.
 *
 * @param name unique within its region
 * @param zone one of the region's zones, or null when the region has none
 * @param capacityBytes bytes the store may hold, or null when unlimited
 * @param storageTypes the storage types the store offers
 */
public record CatalogueStore(String name, String zone, Long capacityBytes, Set<StorageType> storageTypes) {
    public CatalogueStore {
        Objects.requireNonNull(name, "name");
        if (capacityBytes != null && capacityBytes <= 0) {
            throw new IllegalArgumentException("store " + name + ": capacity must be positive, was " + capacityBytes);
        }
        storageTypes = Set.copyOf(storageTypes);
    }

    boolean offers(StorageType type) {
        return storageTypes.contains(type);
    }
}
