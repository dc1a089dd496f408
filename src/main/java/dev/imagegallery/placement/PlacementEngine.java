package dev.imagegallery.placement;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decides which store holds each replica of an image version, region by region. Pure and
 * deterministic: the same inputs give the same result, and each region is decided from its own
 * inputs alone. The rules are in the package documentation.
 */
public final class PlacementEngine {
    private PlacementEngine() {}

    /**
     * Places the version's replicas in every target region.
     *
     * @param version the version and what it asks of each target region
     * @param catalogue the regions, their zones and stores
     * @param currentReplicas the version's replicas now, by region; regions it no longer targets are ignored
     * @param otherVersionsLoads what the stores hold for all other versions (not this one)
     * @return a decision per target region, in request order
     */
    public static PlacementResult place(
            PlacementRequest version,
            Catalogue catalogue,
            Map<String, List<PlacedReplica>> currentReplicas,
            StoreLoads otherVersionsLoads) {
        long seed = TieBreak.seed(version.versionKey());
        List<RegionPlacement> decisions = new ArrayList<>(version.regions().size());
        for (RegionRequest request : version.regions()) {
            decisions.add(placeRegion(
                    request,
                    version.sizeBytes(),
                    seed,
                    catalogue,
                    currentReplicas.getOrDefault(request.region(), List.of()),
                    otherVersionsLoads));
        }
        return new PlacementResult(decisions);
    }

    private static RegionPlacement placeRegion(
            RegionRequest request,
            long sizeBytes,
            long seed,
            Catalogue catalogue,
            List<PlacedReplica> current,
            StoreLoads otherVersionsLoads) {
        CatalogueRegion region = catalogue.region(request.region()).orElse(null);
        if (region == null) {
            return failed(request, RegionPlacement.Cause.UNKNOWN_REGION, FailureReasons.unknownRegion(request));
        }
        if (request.storageType() == StorageType.Standard_ZRS && region.zones().isEmpty()) {
            return failed(
                    request,
                    RegionPlacement.Cause.ZONE_REDUNDANCY_WITHOUT_ZONES,
                    FailureReasons.zoneRedundancyWithoutZones(request));
        }
        RegionPlanner planner =
                new RegionPlanner(region, request, sizeBytes, otherVersionsLoads.ofRegion(region.name()), seed);
        if (!planner.hasEligibleStores()) {
            return failed(
                    request,
                    RegionPlacement.Cause.NO_STORE_OFFERS_TYPE,
                    FailureReasons.noStoreOffersType(request, region));
        }
        return planner.plan(current);
    }

    // These failures leave no valid store for any current replica, so none is retained.
    private static RegionPlacement failed(RegionRequest request, RegionPlacement.Cause cause, String reason) {
        return new RegionPlacement.Failed(request.region(), cause, reason, List.of());
    }
}
