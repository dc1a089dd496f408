package dev.imagegallery.testing;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * kstatus's reading of a custom resource (sigs.k8s.io/cli-utils pkg/kstatus/status, Compute: the
 * rules Flux, Helm 4 --wait and kpt apply), as a test oracle, rule for rule and in its order:
 * deletionTimestamp set: Terminating; status.observedGeneration present and not metadata.generation:
 * InProgress; the first condition that is Reconciling=True (InProgress) or Stalled=True (Failed), in
 * list order; Ready=True: Current, Ready=False or Unknown: InProgress; and otherwise Current, which
 * includes an object without any status.
 */
public final class KStatus {
    public enum Result {
        Current,
        InProgress,
        Failed,
        Terminating
    }

    private KStatus() {}

    @SuppressWarnings("unchecked")
    public static Result of(Map<String, Object> object) {
        Map<String, Object> metadata = (Map<String, Object>) object.get("metadata");
        if (metadata.get("deletionTimestamp") != null) {
            return Result.Terminating;
        }
        Map<String, Object> status = (Map<String, Object>) object.getOrDefault("status", Map.of());
        Object generation = metadata.get("generation");
        Object observed = status.get("observedGeneration");
        if (generation != null
                && observed != null
                && !Objects.equals(String.valueOf(generation), String.valueOf(observed))) {
            return Result.InProgress;
        }
        List<Map<String, Object>> conditions = (List<Map<String, Object>>) status.getOrDefault("conditions", List.of());
        for (Map<String, Object> condition : conditions) {
            if (isTrue(condition, "Reconciling")) {
                return Result.InProgress;
            }
            if (isTrue(condition, "Stalled")) {
                return Result.Failed;
            }
        }
        return conditions.stream()
                .filter(c -> "Ready".equals(c.get("type")))
                .findFirst()
                .map(ready -> "True".equals(ready.get("status")) ? Result.Current : Result.InProgress)
                // No condition kstatus knows: it assumes the resource is current.
                .orElse(Result.Current);
    }

    private static boolean isTrue(Map<String, Object> condition, String type) {
        return type.equals(condition.get("type")) && "True".equals(condition.get("status"));
    }
}
