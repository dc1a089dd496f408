package dev.imagegallery.placement;

import static dev.imagegallery.placement.Fixtures.GIB;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Random but small worlds and updates: up to 3 regions of 0..3 zones and 1..6 stores, replicas of
 * 1..3 GiB on stores of 1..12 GiB or unlimited, sometimes already overfilled by other versions, and
 * sometimes a target region missing from the catalogue.
 */
final class Worlds {
  static final String MISSING_REGION = "ghost";
  private static final int MAX_REPLICAS = 8;

  private Worlds() {}

  static Arbitrary<World> worlds() {
    Arbitrary<List<CatalogueRegion>> regions = Arbitraries.integers().between(1, 3)
        .flatMap(count -> Combinators.combine(IntStream.range(0, count).mapToObj(i -> region("r" + i)).toList()).as(List::copyOf));
    return regions.flatMap(catalogue -> Combinators.combine(
        Arbitraries.integers().between(1, 3).map(units -> units * GIB),
        requests(catalogue),
        loads(catalogue)).as((size, requests, loads) -> new World(size, catalogue, requests, loads)));
  }

  static Arbitrary<World.Update> updates() {
    Arbitrary<Integer> index = Arbitraries.integers().between(0, 9);
    return Arbitraries.oneOf(
        Combinators.combine(index, replicaCounts()).as(World.SetCount::new),
        Combinators.combine(index, storageTypes()).as(World.SetType::new),
        Combinators.combine(index, request("any")).as(World.ToggleTarget::new),
        Combinators.combine(index, index, storeLoads()).as(World.SetLoad::new),
        Combinators.combine(index, index).as(World.RemoveStore::new),
        Combinators.combine(index, index, capacities()).as(World.SetCapacity::new));
  }

  static Arbitrary<Integer> replicaCounts() {
    return Arbitraries.integers().between(1, MAX_REPLICAS);
  }

  private static Arbitrary<CatalogueRegion> region(String name) {
    return Arbitraries.integers().between(0, 3).flatMap(zoneCount -> {
      List<String> zones = IntStream.range(0, zoneCount).mapToObj(z -> "z" + z).toList();
      return storeShape(zones).list().ofMinSize(1).ofMaxSize(6).map(shapes -> {
        List<CatalogueStore> stores = new ArrayList<>();
        for (CatalogueStore shape : shapes) {
          stores.add(new CatalogueStore("s" + stores.size(), shape.zone(), shape.capacityBytes(), shape.storageTypes()));
        }
        return new CatalogueRegion(name, zones, stores);
      });
    });
  }

  /** A store without its name yet; a region without zones has no zone-redundant stores, as the CRD demands. */
  private static Arbitrary<CatalogueStore> storeShape(List<String> zones) {
    Arbitrary<String> zone = zones.isEmpty() ? Arbitraries.just(null) : Arbitraries.of(zones);
    EnumSet<StorageType> offerable = zones.isEmpty()
        ? EnumSet.of(StorageType.Standard_LRS, StorageType.Premium_LRS) : EnumSet.allOf(StorageType.class);
    return Combinators.combine(zone, capacities(), Arbitraries.of(offerable).set().ofMinSize(1))
        .as((z, capacity, types) -> new CatalogueStore("unnamed", z, capacity, types));
  }

  private static Arbitrary<Long> capacities() {
    return Arbitraries.integers().between(1, 12).map(units -> units * GIB).injectNull(0.3);
  }

  private static Arbitrary<StorageType> storageTypes() {
    return Arbitraries.frequency(
        Tuple.of(6, StorageType.Standard_LRS),
        Tuple.of(2, StorageType.Standard_ZRS),
        Tuple.of(2, StorageType.Premium_LRS));
  }

  /** One request per catalogue region, and now and then one for a region the catalogue lacks. */
  private static Arbitrary<List<RegionRequest>> requests(List<CatalogueRegion> catalogue) {
    List<Arbitrary<RegionRequest>> requests = new ArrayList<>();
    for (CatalogueRegion region : catalogue) {
      requests.add(request(region.name()));
    }
    Arbitrary<List<RegionRequest>> known = Combinators.combine(requests).as(List::copyOf);
    return Combinators.combine(known, request(MISSING_REGION).optional(0.15)).as((list, missing) -> {
      List<RegionRequest> all = new ArrayList<>(list);
      missing.ifPresent(all::add);
      return all;
    });
  }

  private static Arbitrary<RegionRequest> request(String region) {
    return Combinators.combine(replicaCounts(), storageTypes()).as((count, type) -> new RegionRequest(region, count, type));
  }

  /** Loads in half-GiB steps, so replicas of odd sizes leave stores partly free. */
  private static Arbitrary<StoreLoad> storeLoads() {
    return Combinators.combine(Arbitraries.integers().between(0, 28), Arbitraries.integers().between(0, 20))
        .as((halfGibs, replicas) -> new StoreLoad(halfGibs * GIB / 2, replicas));
  }

  private static Arbitrary<Map<String, Map<String, StoreLoad>>> loads(List<CatalogueRegion> catalogue) {
    List<CatalogueStore> stores = new ArrayList<>();
    List<String> storeRegions = new ArrayList<>();
    for (CatalogueRegion region : catalogue) {
      for (CatalogueStore store : region.stores()) {
        stores.add(store);
        storeRegions.add(region.name());
      }
    }
    return storeLoads().injectNull(0.5).list().ofSize(stores.size()).map(perStore -> {
      Map<String, Map<String, StoreLoad>> loads = new HashMap<>();
      for (int i = 0; i < stores.size(); i++) {
        if (perStore.get(i) != null) {
          loads.computeIfAbsent(storeRegions.get(i), r -> new HashMap<>()).put(stores.get(i).name(), perStore.get(i));
        }
      }
      return loads;
    });
  }
}
