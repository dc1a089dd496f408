package dev.imagegallery.placement;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Placements per second of a version targeting 60 regions × 3 zones × 4 stores with 5 replicas in
 * each, against stores already holding 10,000 versions; and the cost of summing those versions'
 * usage, as a Region's status needs it. Results and how to run: docs/benchmarks-placement.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PlacementBenchmark {
    private static final int REGIONS = 60;
    private static final int ZONES = 3;
    private static final int STORES_PER_ZONE = 4;
    private static final int REPLICAS_PER_REGION = 5;
    private static final int PLACED_VERSIONS = 10_000;
    private static final long GIB = 1L << 30;
    // Half the stores are limited, so the load ratio matters; 16 TiB holds the 10,000 versions' share.
    private static final long LIMITED_CAPACITY = 16L * 1024 * GIB;

    private Catalogue catalogue;
    private List<PlacedVersion> placedVersions;
    private StoreLoads loads;
    private PlacementRequest version;
    private Map<String, List<PlacedReplica>> versionPlacedBefore;

    @Setup
    public void fillTheCatalogue() {
        List<CatalogueRegion> regions = new ArrayList<>();
        for (int r = 0; r < REGIONS; r++) {
            regions.add(region(String.format("region-%02d", r)));
        }
        catalogue = Catalogue.of(regions);
        placedVersions = placeVersions(catalogue, regions, new Random(42));
        loads = StoreLoads.aggregate(placedVersions);

        List<RegionRequest> everyRegion = new ArrayList<>();
        for (CatalogueRegion region : regions) {
            everyRegion.add(new RegionRequest(region.name(), REPLICAS_PER_REGION, StorageType.Standard_LRS));
        }
        version = new PlacementRequest("bench/measured", 30 * GIB, everyRegion);
        versionPlacedBefore =
                PlacementEngine.place(version, catalogue, Map.of(), loads).replicasByRegion();
    }

    /** A new version, or one whose every replica must be placed. */
    @Benchmark
    public PlacementResult placeNewVersion() {
        return PlacementEngine.place(version, catalogue, Map.of(), loads);
    }

    /** A reconcile that finds the version already placed: every replica is checked and kept. */
    @Benchmark
    public PlacementResult placeAlreadyPlacedVersion() {
        return PlacementEngine.place(version, catalogue, versionPlacedBefore, loads);
    }

    /** Summing the store usage of all 10,000 placed versions. */
    @Benchmark
    public StoreLoads aggregateUsageOfAllVersions() {
        return StoreLoads.aggregate(placedVersions);
    }

    private static CatalogueRegion region(String name) {
        List<String> zones = new ArrayList<>();
        List<CatalogueStore> stores = new ArrayList<>();
        for (int z = 1; z <= ZONES; z++) {
            String zone = "z" + z;
            zones.add(zone);
            for (int s = 1; s <= STORES_PER_ZONE; s++) {
                Long capacity = s % 2 == 0 ? LIMITED_CAPACITY : null;
                stores.add(new CatalogueStore(zone + "-s" + s, zone, capacity, EnumSet.allOf(StorageType.class)));
            }
        }
        return new CatalogueRegion(name, zones, stores);
    }

    /** Versions of 1..30 GiB in 3..10 random regions with 1..5 replicas, each placed by the engine against those before it. */
    private static List<PlacedVersion> placeVersions(
            Catalogue catalogue, List<CatalogueRegion> regions, Random random) {
        List<PlacedVersion> placed = new ArrayList<>(PLACED_VERSIONS);
        StoreLoads.Builder sum = StoreLoads.builder();
        StoreLoads soFar = StoreLoads.NONE;
        List<CatalogueRegion> shuffled = new ArrayList<>(regions);
        for (int v = 0; v < PLACED_VERSIONS; v++) {
            Collections.shuffle(shuffled, random);
            List<RegionRequest> targets = new ArrayList<>();
            for (CatalogueRegion region : shuffled.subList(0, 3 + random.nextInt(8))) {
                targets.add(new RegionRequest(region.name(), 1 + random.nextInt(5), StorageType.Standard_LRS));
            }
            PlacementRequest request = new PlacementRequest("bench/v" + v, (1 + random.nextInt(30)) * GIB, targets);
            PlacementResult result = PlacementEngine.place(request, catalogue, Map.of(), soFar);
            PlacedVersion version =
                    new PlacedVersion(request.versionKey(), request.sizeBytes(), result.replicasByRegion());
            placed.add(version);
            soFar = sum.add(version).build();
        }
        return placed;
    }
}
