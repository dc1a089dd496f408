package dev.imagegallery.placement;

/**
 * Where placement puts one replica of a version in a region: its index, store and zone.
 *
 * @param index the replica's number within the region, from 0; it names the replica across placements
 * @param store the store holding it
 * @param zone that store's zone, or null when the region has none
 */
public record PlacedReplica(int index, String store, String zone) {}
