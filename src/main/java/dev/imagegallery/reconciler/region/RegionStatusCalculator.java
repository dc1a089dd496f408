package dev.imagegallery.reconciler.region;

import dev.imagegallery.api.RegionSpec;
import dev.imagegallery.api.RegionStatus;
import dev.imagegallery.api.RegionStatus.StoreUsage;
import dev.imagegallery.api.Store;
import dev.imagegallery.status.Conditions;
import dev.imagegallery.status.Outcome;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Computes a Region's status from its spec and the probe of each store. Pure. */
public final class RegionStatusCalculator {
  private RegionStatusCalculator() {}

  public static RegionStatus calculate(RegionSpec spec, RegionStatus previous, long generation,
      Map<String, StoreProbe.Result> probes, Instant now) {
    RegionStatus status = new RegionStatus();
    status.observedGeneration = generation;
    status.stores = new ArrayList<>();
    List<String> unreachable = new ArrayList<>();
    for (Store store : spec.stores) {
      StoreProbe.Result probe = probes.get(store.name);
      StoreUsage usage = new StoreUsage();
      usage.name = store.name;
      usage.zone = store.zone;
      usage.capacityBytes = store.capacity == null ? null : Quantity.getAmountInBytes(new Quantity(store.capacity)).longValue();
      usage.reachable = probe.reachable();
      status.stores.add(usage);
      if (!probe.reachable()) {
        unreachable.add("store " + store.name + " (" + store.endpoint + "): " + probe.detail());
      }
    }
    int total = spec.stores.size();
    status.reachableStores = (total - unreachable.size()) + "/" + total;
    Outcome outcome = unreachable.isEmpty()
        ? Outcome.ready("StoresReachable", total == 1 ? "The store answered" : "All " + total + " stores answered")
        : Outcome.inProgress("StoreUnreachable", String.join("; ", unreachable));
    status.conditions = Conditions.apply(previous == null ? null : previous.conditions, generation, outcome, now);
    return status;
  }
}
