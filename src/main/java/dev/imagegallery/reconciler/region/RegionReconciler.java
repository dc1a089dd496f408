package dev.imagegallery.reconciler.region;

import dev.imagegallery.api.Region;
import dev.imagegallery.api.RegionStatus;
import dev.imagegallery.status.StatusWriter;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Keeps each Region's status in step with the reachability of its stores. */
@ControllerConfiguration(name = "region",
    maxReconciliationInterval = @MaxReconciliationInterval(interval = 5, timeUnit = TimeUnit.MINUTES))
public class RegionReconciler implements Reconciler<Region> {
  /** An unreachable store is probed again this soon; a reachable region is re-probed every 5 minutes. */
  private static final Duration UNREACHABLE_REPROBE = Duration.ofSeconds(15);

  private final StoreProbe probe;

  public RegionReconciler(StoreProbe probe) {
    this.probe = probe;
  }

  @Override
  public UpdateControl<Region> reconcile(Region region, Context<Region> context) {
    Map<String, StoreProbe.Result> probes = region.getSpec().stores.stream()
        .collect(Collectors.toMap(s -> s.name, s -> probe.probe(s.endpoint)));
    RegionStatus next = RegionStatusCalculator.calculate(region.getSpec(), region.getStatus(),
        region.getMetadata().getGeneration(), probes, Instant.now());
    UpdateControl<Region> control = StatusWriter.patchIfChanged(region, next);
    boolean allReachable = probes.values().stream().allMatch(StoreProbe.Result::reachable);
    return allReachable ? control : control.rescheduleAfter(UNREACHABLE_REPROBE);
  }
}
