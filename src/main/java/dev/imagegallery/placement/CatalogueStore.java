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
 * @param replicasPerVersion how many replicas of one version the store can hold: one for a
 *     registry, which has one tag per version; {@link #ANY_NUMBER} for the other kinds
 */
public record CatalogueStore(
        String name, String zone, Long capacityBytes, Set<StorageType> storageTypes, int replicasPerVersion) {
    public static final int ANY_NUMBER = Integer.MAX_VALUE;

    public CatalogueStore {
        Objects.requireNonNull(name, "name");
        if (capacityBytes != null && capacityBytes <= 0) {
            throw new IllegalArgumentException("store " + name + ": capacity must be positive, was " + capacityBytes);
        }
        if (replicasPerVersion < 1) {
            throw new IllegalArgumentException(
                    "store " + name + ": replicasPerVersion must be positive, was " + replicasPerVersion);
        }
        storageTypes = Set.copyOf(storageTypes);
    }

    /** A store that can hold any number of replicas of a version. */
    public CatalogueStore(String name, String zone, Long capacityBytes, Set<StorageType> storageTypes) {
        this(name, zone, capacityBytes, storageTypes, ANY_NUMBER);
    }

    boolean offers(StorageType type) {
        return storageTypes.contains(type);
    }
}
