package dev.imagegallery.placement;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Places one version's replicas in one region; lives for a single placement. */
final class RegionPlanner {
    private static final Comparator<PlacedReplica> BY_INDEX_THEN_STORE =
            Comparator.comparingInt(PlacedReplica::index).thenComparing(PlacedReplica::store);

    private final CatalogueRegion region;
    private final RegionRequest request;
    private final long sizeBytes;
    private final List<StoreSlot> slots = new ArrayList<>();
    private final Map<String, StoreSlot> slotsByName = new HashMap<>();
    private final int[] replicasPerZone;
    private final List<Assignment> assignments = new ArrayList<>();
    private final BitSet usedIndexes = new BitSet();

    /** Only stores offering the requested type take part; the caller has checked the region's zones allow the type. */
    RegionPlanner(
            CatalogueRegion region,
            RegionRequest request,
            long sizeBytes,
            Map<String, StoreLoad> otherVersionsLoads,
            long seed) {
        this.region = region;
        this.request = request;
        this.sizeBytes = sizeBytes;
        // A region without zones is planned as one zone.
        this.replicasPerZone = new int[Math.max(1, region.zones().size())];
        for (CatalogueStore store : region.stores()) {
            if (store.offers(request.storageType())) {
                int zoneIndex = store.zone() == null ? 0 : region.zones().indexOf(store.zone());
                StoreSlot slot = new StoreSlot(
                        store,
                        zoneIndex,
                        otherVersionsLoads.getOrDefault(store.name(), StoreLoad.NONE),
                        TieBreak.of(seed, store.name()));
                slots.add(slot);
                slotsByName.put(slot.name, slot);
            }
        }
    }

    boolean hasEligibleStores() {
        return !slots.isEmpty();
    }

    RegionPlacement plan(List<PlacedReplica> current) {
        keepStillValid(current);
        while (assignments.size() > request.replicas()) {
            unassign(mostCrowdedAssignment());
        }
        List<PlacedReplica> retained = replicas();
        while (assignments.size() < request.replicas()) {
            StoreSlot slot = leastCrowdedSlotWithRoom();
            if (slot == null) {
                return new RegionPlacement.Failed(
                        region.name(),
                        RegionPlacement.Cause.NOT_ENOUGH_CAPACITY,
                        FailureReasons.notEnoughCapacity(request, sizeBytes, assignments.size(), slots),
                        retained);
            }
            assign(usedIndexes.nextClearBit(0), slot);
        }
        return new RegionPlacement.Placed(region.name(), replicas());
    }

    /**
     * Keeps each current replica whose store still exists, still offers the type and still has room;
     * lower indexes claim room first. Duplicate indexes keep their first store by name.
     */
    private void keepStillValid(List<PlacedReplica> current) {
        List<PlacedReplica> byIndex = new ArrayList<>(current);
        byIndex.sort(BY_INDEX_THEN_STORE);
        for (PlacedReplica replica : byIndex) {
            StoreSlot slot = slotsByName.get(replica.store());
            if (replica.index() >= 0
                    && !usedIndexes.get(replica.index())
                    && slot != null
                    && slot.hasRoomFor(sizeBytes)) {
                assign(replica.index(), slot);
            }
        }
    }

    /** Zones first, then stores of this version, then overall load, then the version's own store order. */
    private StoreSlot leastCrowdedSlotWithRoom() {
        StoreSlot best = null;
        for (StoreSlot slot : slots) {
            if (slot.hasRoomFor(sizeBytes) && (best == null || lessCrowded(slot, best))) {
                best = slot;
            }
        }
        return best;
    }

    private boolean lessCrowded(StoreSlot slot, StoreSlot other) {
        int byZone = Integer.compare(replicasPerZone[slot.zoneIndex], replicasPerZone[other.zoneIndex]);
        if (byZone != 0) {
            return byZone < 0;
        }
        int byVersion = Integer.compare(slot.replicasOfVersion(), other.replicasOfVersion());
        if (byVersion != 0) {
            return byVersion < 0;
        }
        int byLoad = Double.compare(slot.loadRatio(), other.loadRatio());
        if (byLoad != 0) {
            return byLoad < 0;
        }
        int byReplicas = Integer.compare(slot.replicas(), other.replicas());
        if (byReplicas != 0) {
            return byReplicas < 0;
        }
        int byTieBreak = Long.compare(slot.tieBreak, other.tieBreak);
        return byTieBreak != 0 ? byTieBreak < 0 : slot.name.compareTo(other.name) < 0;
    }

    /** The replica whose removal keeps the spread best: most crowded zone, then store, then highest index. */
    private Assignment mostCrowdedAssignment() {
        Assignment worst = null;
        for (Assignment assignment : assignments) {
            if (worst == null || moreCrowded(assignment, worst)) {
                worst = assignment;
            }
        }
        return worst;
    }

    private boolean moreCrowded(Assignment assignment, Assignment other) {
        int byZone = Integer.compare(replicasPerZone[assignment.slot.zoneIndex], replicasPerZone[other.slot.zoneIndex]);
        if (byZone != 0) {
            return byZone > 0;
        }
        int byStore = Integer.compare(assignment.slot.replicasOfVersion(), other.slot.replicasOfVersion());
        return byStore != 0 ? byStore > 0 : assignment.index > other.index;
    }

    private void assign(int index, StoreSlot slot) {
        assignments.add(new Assignment(index, slot));
        usedIndexes.set(index);
        slot.take(sizeBytes);
        replicasPerZone[slot.zoneIndex]++;
    }

    private void unassign(Assignment assignment) {
        assignments.remove(assignment);
        usedIndexes.clear(assignment.index);
        assignment.slot.release(sizeBytes);
        replicasPerZone[assignment.slot.zoneIndex]--;
    }

    private List<PlacedReplica> replicas() {
        List<PlacedReplica> replicas = new ArrayList<>(assignments.size());
        for (Assignment assignment : assignments) {
            replicas.add(new PlacedReplica(assignment.index, assignment.slot.name, assignment.slot.zone));
        }
        replicas.sort(BY_INDEX_THEN_STORE);
        return replicas;
    }

    private record Assignment(int index, StoreSlot slot) {}
}
