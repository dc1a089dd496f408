package dev.imagegallery.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegallery.placement.RegionPlacement.Cause;
import dev.imagegallery.testing.Draw;
import dev.imagegallery.testing.Property;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The placement rules hold over random worlds and random sequences of updates. Tries are bounded so
 * the whole placement suite stays within seconds on two shared cores.
 */
class PlacementPropertiesTest {
    private static final int TRIES = 200;
    private static final String PLACED = "PLACED";

    @Test
    void countsAreHonouredExactlyWhenTheRegionCanHoldThem() {
        Property.check(TRIES, random -> {
            for (Step step : randomSteps(random)) {
                for (RegionRequest request : step.world.requests()) {
                    RegionPlacement placement =
                            step.after.region(request.region()).orElseThrow();
                    Optional<Cause> expectedFailure = expectedFailure(step.world, request);
                    if (expectedFailure.isEmpty()) {
                        assertThat(placement).isInstanceOf(RegionPlacement.Placed.class);
                        assertThat(placement.replicas()).hasSize(request.replicas());
                    } else {
                        assertThat(placement).isInstanceOf(RegionPlacement.Failed.class);
                        assertThat(((RegionPlacement.Failed) placement).cause()).isEqualTo(expectedFailure.get());
                        assertThat(((RegionPlacement.Failed) placement).reason())
                                .contains(
                                        "'" + request.region() + "'",
                                        request.storageType().name());
                    }
                    assertThat(placement.replicas())
                            .extracting(PlacedReplica::index)
                            .doesNotHaveDuplicates();
                    for (PlacedReplica replica : placement.replicas()) {
                        CatalogueStore store = store(step.world, request.region(), replica.store())
                                .orElseThrow();
                        assertThat(store.storageTypes()).contains(request.storageType());
                        assertThat(replica.zone()).isEqualTo(store.zone());
                    }
                }
            }
        });
    }

    @Test
    void zonesDifferByAtMostOneReplicaWhereStoresAllow() {
        Property.check(TRIES, random -> {
            World start = Worlds.world(random);
            List<Integer> counts = Worlds.replicaCounts(random);
            List<World.Update> countChanges = new ArrayList<>();
            for (int i = 0; i < counts.size(); i++) {
                countChanges.add(new World.SetCount(i, counts.get(i)));
            }
            for (Step step : run(start, countChanges)) {
                for (RegionPlacement placement : step.after.regions()) {
                    step.world
                            .catalogue()
                            .region(placement.region())
                            .ifPresent(region -> assertZoneSpread(step.world, region, placement));
                }
            }
        });
    }

    @Test
    void noStoreEverHoldsMoreReplicasOfTheVersionThanItsKindCanHold() {
        Property.check(TRIES, random -> {
            for (Step step : randomSteps(random)) {
                for (RegionPlacement placement : step.after.regions()) {
                    replicasPerStore(placement.replicas())
                            .forEach((storeName, count) -> assertThat(count)
                                    .as("replicas of the version on %s/%s", placement.region(), storeName)
                                    .isLessThanOrEqualTo(store(step.world, placement.region(), storeName)
                                            .orElseThrow()
                                            .replicasPerVersion()));
                }
            }
        });
    }

    @Test
    void noStoreIsEverFilledBeyondItsCapacity() {
        Property.check(TRIES, random -> {
            for (Step step : randomSteps(random)) {
                for (RegionPlacement placement : step.after.regions()) {
                    Map<String, Integer> perStore = replicasPerStore(placement.replicas());
                    perStore.forEach((storeName, count) -> {
                        Long capacity = store(step.world, placement.region(), storeName)
                                .orElseThrow()
                                .capacityBytes();
                        if (capacity != null) {
                            assertThat(step.world
                                                    .load(placement.region(), storeName)
                                                    .bytesUsed()
                                            + count * step.world.sizeBytes())
                                    .as("bytes on %s/%s", placement.region(), storeName)
                                    .isLessThanOrEqualTo(capacity);
                        }
                    });
                }
            }
        });
    }

    @Test
    void versionsPlacedOneAfterAnotherNeverOverfillAStore() {
        Property.check(TRIES, random -> {
            World world = Worlds.world(random);
            int versionCount = Draw.between(random, 2, 6);
            List<PlacedVersion> placed = new ArrayList<>();
            for (int v = 0; v < versionCount; v++) {
                PlacementRequest request = new PlacementRequest("ns/v" + v, world.sizeBytes(), world.requests());
                PlacementResult result =
                        PlacementEngine.place(request, world.catalogue(), Map.of(), world.storeLoads(placed));
                placed.add(new PlacedVersion(request.versionKey(), request.sizeBytes(), result.replicasByRegion()));
            }
            StoreLoads placedLoads = StoreLoads.aggregate(placed);
            for (CatalogueRegion region : world.regions()) {
                for (CatalogueStore store : region.stores()) {
                    if (store.capacityBytes() != null) {
                        long roomBefore = Math.max(
                                0,
                                store.capacityBytes()
                                        - world.load(region.name(), store.name())
                                                .bytesUsed());
                        assertThat(placedLoads.of(region.name(), store.name()).bytesUsed())
                                .isLessThanOrEqualTo(roomBefore);
                    }
                }
            }
        });
    }

    @Test
    void replicasMoveOnlyWhenTheirStoreBecameInvalid() {
        Property.check(TRIES, random -> {
            for (Step step : randomSteps(random)) {
                for (RegionRequest request : step.world.requests()) {
                    List<PlacedReplica> before = step.before.getOrDefault(request.region(), List.of());
                    Set<PlacedReplica> stillValid = stillValid(step.world, request, before);
                    Set<PlacedReplica> kept = new HashSet<>(
                            step.after.region(request.region()).orElseThrow().replicas());
                    kept.retainAll(before);
                    assertThat(stillValid).containsAll(kept);
                    assertThat(kept).hasSize(Math.min(request.replicas(), stillValid.size()));
                }
            }
        });
    }

    @Test
    void theSameInputsGiveTheSameResultWhateverTheirOrder() {
        Property.check(TRIES, random -> {
            for (Step step : randomSteps(random)) {
                assertThat(place(step.world, step.before)).isEqualTo(step.after);
                List<CatalogueRegion> reversedStores = new ArrayList<>();
                for (CatalogueRegion region : step.world.regions()) {
                    List<CatalogueStore> stores = new ArrayList<>(region.stores());
                    Collections.reverse(stores);
                    reversedStores.add(new CatalogueRegion(region.name(), region.zones(), stores));
                }
                Map<String, List<PlacedReplica>> reversedReplicas = new HashMap<>();
                step.before.forEach((region, replicas) -> {
                    List<PlacedReplica> reversed = new ArrayList<>(replicas);
                    Collections.reverse(reversed);
                    reversedReplicas.put(region, reversed);
                });
                World reordered =
                        new World(step.world.sizeBytes(), reversedStores, step.world.requests(), step.world.loads());
                assertThat(place(reordered, reversedReplicas)).isEqualTo(step.after);
            }
        });
    }

    @Test
    void aChangeToOneRegionLeavesTheOthersAlone() {
        Property.check(TRIES, random -> {
            for (Step step : randomSteps(random)) {
                for (RegionRequest request : step.world.requests()) {
                    World alone = new World(
                            step.world.sizeBytes(), step.world.regions(), List.of(request), step.world.loads());
                    List<PlacedReplica> before = step.before.getOrDefault(request.region(), List.of());
                    assertThat(place(alone, Map.of(request.region(), before)).region(request.region()))
                            .as("%s placed as the only target", request.region())
                            .isEqualTo(step.after.region(request.region()));
                }
                if (step.previous != null) {
                    for (RegionPlacement placement : step.after.regions()) {
                        if (!placement.region().equals(step.changedRegion)) {
                            assertThat(Optional.of(placement)).isEqualTo(step.previous.region(placement.region()));
                        }
                    }
                }
            }
        });
    }

    /** Random worlds reach every outcome, placement the most often, or the properties above would mostly check failures. */
    @Test
    void randomWorldsReachEveryOutcome() {
        Map<String, Integer> outcomes = new TreeMap<>();
        // Fixed, so that every run counts the same sample.
        Random random = new Random(0);
        for (int n = 0; n < TRIES; n++) {
            for (Step step : randomSteps(random)) {
                for (RegionRequest request : step.world.requests()) {
                    outcomes.merge(
                            expectedFailure(step.world, request)
                                    .map(Cause::name)
                                    .orElse(PLACED),
                            1,
                            Integer::sum);
                }
            }
        }
        List<String> every = new ArrayList<>(List.of(PLACED));
        for (Cause cause : Cause.values()) {
            every.add(cause.name());
        }
        assertThat(outcomes).containsOnlyKeys(every);
        assertThat(outcomes.get(PLACED))
                .as("placements among %s", outcomes)
                .isEqualTo(Collections.max(outcomes.values()));
    }

    /**
     * One placement of a sequence: the world after an update, the replicas before it, and the result.
     * The first step places from nothing and has no previous result or changed region.
     */
    private record Step(
            World world,
            PlacementResult previous,
            Map<String, List<PlacedReplica>> before,
            PlacementResult after,
            String changedRegion) {}

    /** A random world and the steps of a random sequence of updates to it. */
    private static List<Step> randomSteps(Random random) {
        return run(Worlds.world(random), Worlds.updates(random));
    }

    private static List<Step> run(World start, List<World.Update> updates) {
        List<Step> steps = new ArrayList<>();
        World world = start;
        Step step = new Step(world, null, Map.of(), place(world, Map.of()), null);
        steps.add(step);
        for (World.Update update : updates) {
            String changedRegion = update.region(world);
            world = update.applyTo(world);
            Map<String, List<PlacedReplica>> before = step.after.replicasByRegion();
            step = new Step(world, step.after, before, place(world, before), changedRegion);
            steps.add(step);
        }
        return steps;
    }

    private static PlacementResult place(World world, Map<String, List<PlacedReplica>> current) {
        return PlacementEngine.place(world.request(), world.catalogue(), current, world.storeLoads(List.of()));
    }

    /** Why the region cannot hold the request, worked out independently of the engine; empty when it can. */
    private static Optional<Cause> expectedFailure(World world, RegionRequest request) {
        Optional<CatalogueRegion> region = world.catalogue().region(request.region());
        if (region.isEmpty()) {
            return Optional.of(Cause.UNKNOWN_REGION);
        }
        if (request.storageType() == StorageType.Standard_ZRS
                && region.get().zones().isEmpty()) {
            return Optional.of(Cause.ZONE_REDUNDANCY_WITHOUT_ZONES);
        }
        List<CatalogueStore> eligible = region.get().stores().stream()
                .filter(s -> s.storageTypes().contains(request.storageType()))
                .toList();
        if (eligible.isEmpty()) {
            return Optional.of(Cause.NO_STORE_OFFERS_TYPE);
        }
        long fitting = 0;
        for (CatalogueStore store : eligible) {
            long byBytes = store.capacityBytes() == null
                    ? request.replicas()
                    : Math.max(
                            0,
                            (store.capacityBytes()
                                            - world.load(request.region(), store.name())
                                                    .bytesUsed())
                                    / world.sizeBytes());
            fitting += Math.min(byBytes, store.replicasPerVersion());
        }
        return fitting >= request.replicas() ? Optional.empty() : Optional.of(Cause.NOT_ENOUGH_CAPACITY);
    }

    /** Current replicas whose store still exists, offers the type and has room, lower indexes first. */
    private static Set<PlacedReplica> stillValid(World world, RegionRequest request, List<PlacedReplica> current) {
        Set<PlacedReplica> valid = new HashSet<>();
        Optional<Cause> failure = expectedFailure(world, request);
        if (failure.isPresent() && failure.get() != Cause.NOT_ENOUGH_CAPACITY) {
            return valid;
        }
        Map<String, Integer> heldPerStore = new HashMap<>();
        for (PlacedReplica replica : current.stream()
                .sorted((a, b) -> Integer.compare(a.index(), b.index()))
                .toList()) {
            Optional<CatalogueStore> store = store(world, request.region(), replica.store())
                    .filter(s -> s.storageTypes().contains(request.storageType()));
            int held = heldPerStore.getOrDefault(replica.store(), 0);
            if (store.isPresent()
                    && held < store.get().replicasPerVersion()
                    && (store.get().capacityBytes() == null
                            || world.load(request.region(), replica.store()).bytesUsed()
                                            + (held + 1) * world.sizeBytes()
                                    <= store.get().capacityBytes())) {
                valid.add(replica);
                heldPerStore.put(replica.store(), held + 1);
            }
        }
        return valid;
    }

    /** Wherever two zones differ by more than one replica, no eligible store of the emptier zone has room. */
    private static void assertZoneSpread(World world, CatalogueRegion region, RegionPlacement placement) {
        if (region.zones().isEmpty()) {
            return;
        }
        RegionRequest request = world.requests().stream()
                .filter(r -> r.region().equals(region.name()))
                .findFirst()
                .orElseThrow();
        Map<String, Integer> perZone = new LinkedHashMap<>();
        region.zones().forEach(zone -> perZone.put(zone, 0));
        placement.replicas().forEach(replica -> perZone.merge(replica.zone(), 1, Integer::sum));
        Map<String, Integer> perStore = replicasPerStore(placement.replicas());
        int most = Collections.max(perZone.values());
        for (String zone : region.zones()) {
            if (perZone.get(zone) < most - 1) {
                for (CatalogueStore store : region.stores()) {
                    if (zone.equals(store.zone())
                            && store.storageTypes().contains(request.storageType())
                            && perStore.getOrDefault(store.name(), 0) < store.replicasPerVersion()) {
                        assertThat(store.capacityBytes())
                                .as(
                                        "zone %s holds %d of %s, yet store %s is unlimited",
                                        zone, perZone.get(zone), perZone, store.name())
                                .isNotNull();
                        long wouldUse = world.load(region.name(), store.name()).bytesUsed()
                                + (perStore.getOrDefault(store.name(), 0) + 1) * world.sizeBytes();
                        assertThat(wouldUse)
                                .as(
                                        "zone %s holds %d of %s, yet store %s has room",
                                        zone, perZone.get(zone), perZone, store.name())
                                .isGreaterThan(store.capacityBytes());
                    }
                }
            }
        }
    }

    private static Map<String, Integer> replicasPerStore(List<PlacedReplica> replicas) {
        Map<String, Integer> perStore = new HashMap<>();
        replicas.forEach(replica -> perStore.merge(replica.store(), 1, Integer::sum));
        return perStore;
    }

    private static Optional<CatalogueStore> store(World world, String region, String name) {
        return world.catalogue()
                .region(region)
                .flatMap(r ->
                        r.stores().stream().filter(s -> s.name().equals(name)).findFirst());
    }
}
