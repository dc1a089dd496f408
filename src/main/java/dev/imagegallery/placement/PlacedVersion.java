package dev.imagegallery.placement;

import java.util.List;
import java.util.Map;

/**
 * A version's current placement, as the usage of stores is aggregated from.
 *
 * @param versionKey identifies the version
 * @param sizeBytes bytes one replica takes
 * @param replicasByRegion the version's replicas in each region
 */
public record PlacedVersion(String versionKey, long sizeBytes, Map<String, List<PlacedReplica>> replicasByRegion) {
    public PlacedVersion {
        replicasByRegion = Map.copyOf(replicasByRegion);
    }
}
