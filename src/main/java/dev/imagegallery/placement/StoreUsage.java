package dev.imagegallery.placement;

/**
 * The usage of one store, as a Region's status shows it.
 *
 * @param store the store's name
 * @param zone its zone, or null when the region has none
 * @param replicas replicas it holds, of all versions
 * @param bytesUsed bytes those replicas take
 * @param capacityBytes its capacity, or null when unlimited
 */
public record StoreUsage(String store, String zone, int replicas, long bytesUsed, Long capacityBytes) {}
