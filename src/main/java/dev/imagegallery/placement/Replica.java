package dev.imagegallery.placement;

/**
 * One replica of a version in a region.
 *
 * @param index the replica's number within the region, from 0; it names the replica across placements
 * @param store the store holding it
 * @param zone that store's zone, or null when the region has none
 */
public record Replica(int index, String store, String zone) {}
