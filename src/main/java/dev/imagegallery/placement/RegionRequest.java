package dev.imagegallery.placement;

import java.util.Objects;

/**
 * What a version asks of one target region.
 *
 * @param region the region's name
 * @param replicas the final replica count (the caller has already resolved regional versus common count)
 * @param storageType the storage type every replica in the region needs
 */
public record RegionRequest(String region, int replicas, StorageType storageType) {
    /** Upper bound of {@link #replicas}, as the API allows. */
    public static final int MAX_REPLICAS = 100;

    public RegionRequest {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(storageType, "storageType");
        if (replicas < 1 || replicas > MAX_REPLICAS) {
            throw new IllegalArgumentException(
                    "region " + region + ": replicas must be 1.." + MAX_REPLICAS + ", was " + replicas);
        }
    }
}
