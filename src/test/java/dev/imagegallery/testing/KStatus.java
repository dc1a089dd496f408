package dev.imagegallery.testing;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * kstatus's documented reading of a custom resource (the rules Flux, Helm 4 --wait and kpt apply),
 * as a test oracle: Terminating, then generation not observed, then Reconciling, then Stalled, then Ready.
 */
public final class KStatus {
  public enum Result { Current, InProgress, Failed, Terminating }

  private KStatus() {}

  @SuppressWarnings("unchecked")
  public static Result of(Map<String, Object> object) {
    Map<String, Object> metadata = (Map<String, Object>) object.get("metadata");
    if (metadata.get("deletionTimestamp") != null) {
      return Result.Terminating;
    }
    Map<String, Object> status = (Map<String, Object>) object.get("status");
    if (status == null) {
      return Result.InProgress;
    }
    Object generation = metadata.get("generation");
    Object observed = status.get("observedGeneration");
    if (observed != null && !Objects.equals(String.valueOf(generation), String.valueOf(observed))) {
      return Result.InProgress;
    }
    List<Map<String, Object>> conditions = (List<Map<String, Object>>) status.getOrDefault("conditions", List.of());
    if (isTrue(conditions, "Reconciling")) {
      return Result.InProgress;
    }
    if (isTrue(conditions, "Stalled")) {
      return Result.Failed;
    }
    return isTrue(conditions, "Ready") ? Result.Current : Result.InProgress;
  }

  private static boolean isTrue(List<Map<String, Object>> conditions, String type) {
    return conditions.stream().anyMatch(c -> type.equals(c.get("type")) && "True".equals(c.get("status")));
  }
}
