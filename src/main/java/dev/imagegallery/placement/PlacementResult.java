package dev.imagegallery.placement;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The decision for every target region, in the order they were requested.
 *
 * @param regions one decision per target region
 */
public record PlacementResult(List<RegionPlacement> regions) {
    public PlacementResult {
        regions = List.copyOf(regions);
    }

    /** The decision for that region, if it was a target. */
    public Optional<RegionPlacement> region(String name) {
        return regions.stream()
                .filter(placement -> placement.region().equals(name))
                .findFirst();
    }

    /** The replicas each target region holds after this decision: the next call's current placement. */
    public Map<String, List<PlacedReplica>> replicasByRegion() {
        Map<String, List<PlacedReplica>> replicas = new LinkedHashMap<>();
        for (RegionPlacement placement : regions) {
            replicas.put(placement.region(), placement.replicas());
        }
        return replicas;
    }
}
