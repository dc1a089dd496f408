package dev.imagegallery.placement;

import java.util.List;
import java.util.Objects;

/**
 * The version to place.
 *
 * @param versionKey identifies the version, for example "namespace/name"; it seeds the tie-break that
 *     spreads different versions over different stores
 * @param sizeBytes bytes one replica takes
 * @param regions what each target region asks for, each region at most once
 */
public record PlacementRequest(String versionKey, long sizeBytes, List<RegionRequest> regions) {
    public PlacementRequest {
        Objects.requireNonNull(versionKey, "versionKey");
        if (sizeBytes < 0) {
            throw new IllegalArgumentException(
                    "version " + versionKey + ": size must not be negative, was " + sizeBytes);
        }
        regions = List.copyOf(regions);
        UniqueNames.require(
                regions,
                RegionRequest::region,
                region -> "version " + versionKey + ": region " + region + " is targeted twice");
    }
}
