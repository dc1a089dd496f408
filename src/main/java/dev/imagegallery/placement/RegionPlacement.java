package dev.imagegallery.placement;

import java.util.List;

/** What the engine decided for one target region: where its replicas go, or why they cannot all be placed. */
public sealed interface RegionPlacement {
    /** The target region. */
    String region();

    /**
     * The replicas the region holds after this decision, by index: all that were asked for when placed;
     * when failed, the current replicas that are still valid (never new ones), so the controller keeps
     * serving from them.
     */
    List<PlacedReplica> replicas();

    /** Every replica asked for has a store. */
    record Placed(String region, List<PlacedReplica> replicas) implements RegionPlacement {
        public Placed {
            replicas = List.copyOf(replicas);
        }
    }

    /** The region cannot hold what was asked; {@code reason} says why in words, with the numbers. */
    record Failed(String region, Cause cause, String reason, List<PlacedReplica> replicas) implements RegionPlacement {
        public Failed {
            replicas = List.copyOf(replicas);
        }
    }

    /** Why a region failed, for conditions and metrics. */
    enum Cause {
        /** No region of that name is in the catalogue. */
        UNKNOWN_REGION,
        /** Standard_ZRS was asked of a region without zones. */
        ZONE_REDUNDANCY_WITHOUT_ZONES,
        /** No store of the region offers the storage type. */
        NO_STORE_OFFERS_TYPE,
        /** The stores offering the type have too little room left. */
        NOT_ENOUGH_CAPACITY
    }
}
