package dev.imagegallery.gitops;

import dev.imagegallery.api.ImageVersionStatus.RegionReplication;
import dev.imagegallery.api.ImageVersionStatus.RegionState;
import dev.imagegallery.api.RegionSpec;
import dev.imagegallery.api.Store;
import dev.imagegallery.reconciler.definition.ImageDefinitionStatusCalculator;
import dev.imagegallery.reconciler.gallery.GalleryStatusCalculator;
import dev.imagegallery.reconciler.region.RegionStatusCalculator;
import dev.imagegallery.reconciler.region.StoreProbe;
import dev.imagegallery.reconciler.version.ImageVersionStatusCalculator;
import dev.imagegallery.status.Outcome;
import dev.imagegallery.status.Reason;
import dev.imagegallery.validation.LatestVersions;
import dev.imagegallery.validation.SemanticVersion;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Objects of the four kinds as the API server returns them, each carrying the status the operator's
 * own status calculators write in a given state, for the tests of what GitOps tools read from them.
 */
final class OperatorStatuses {
    /** The states a GitOps tool must tell apart. */
    enum State {
        FRESH,
        IN_PROGRESS,
        READY,
        STALLED,
        GENERATION_NOT_OBSERVED,
        TERMINATING
    }

    /** What the operator settled on in one reconcile, before the object's metadata moved on or not. */
    private enum Verdict {
        IN_PROGRESS,
        READY,
        STALLED
    }

    record Case(String kind, State state, Map<String, Object> object) {
        @Override
        public String toString() {
            return kind + " " + state;
        }
    }

    static final List<String> KINDS = List.of("Region", "Gallery", "ImageDefinition", "ImageVersion");
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    private static final long GENERATION = 2;

    private OperatorStatuses() {}

    /**
     * Every kind in every state it can be in. A Region is never Stalled (an unreachable store may come
     * back by itself, so it stays in progress), and a Gallery is never in progress outside a blocked
     * deletion (counting what it holds finishes in one reconcile): those pairs are absent.
     */
    static List<Case> everyKindInEveryState() {
        List<Case> cases = new ArrayList<>();
        for (String kind : KINDS) {
            for (State state : State.values()) {
                object(kind, state).ifPresent(object -> cases.add(new Case(kind, state, object)));
            }
        }
        return cases;
    }

    private static Optional<Map<String, Object>> object(String kind, State state) {
        Map<String, Object> metadata = new LinkedHashMap<>(Map.of("name", "x", "generation", GENERATION));
        Map<String, Object> object = new LinkedHashMap<>(
                Map.of("apiVersion", "imagegallery.dev/v1alpha1", "kind", kind, "metadata", metadata));
        if (state == State.FRESH) {
            return Optional.of(object);
        }
        Verdict verdict = switch (state) {
            case IN_PROGRESS -> Verdict.IN_PROGRESS;
            case STALLED -> Verdict.STALLED;
            default -> Verdict.READY;
        };
        // Not observed: the operator wrote Ready for generation 1, and the user has changed the spec since.
        long observed = state == State.GENERATION_NOT_OBSERVED ? GENERATION - 1 : GENERATION;
        if (state == State.TERMINATING) {
            metadata.put("deletionTimestamp", "2026-11-28T10:05:00Z");
        }
        return status(kind, verdict, observed).map(status -> {
            object.put("status", SERIALIZATION.convertValue(status, Map.class));
            return object;
        });
    }

    private static Optional<Object> status(String kind, Verdict verdict, long generation) {
        return switch (kind) {
            case "Region" -> verdict == Verdict.STALLED ? Optional.empty() : Optional.of(region(verdict, generation));
            case "Gallery" ->
                verdict == Verdict.IN_PROGRESS
                        ? Optional.empty()
                        : Optional.of(GalleryStatusCalculator.calculate(
                                null, generation, 2, 3, verdict == Verdict.STALLED, 100, Optional.empty(), NOW));
            case "ImageDefinition" -> Optional.of(definition(verdict, generation));
            case "ImageVersion" -> Optional.of(version(verdict, generation));
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static Object region(Verdict verdict, long generation) {
        Store store = new Store();
        store.name = "store-1";
        store.endpoint = "file:///var/tmp/store-1";
        RegionSpec spec = new RegionSpec();
        spec.stores = List.of(store);
        StoreProbe.Result probe = verdict == Verdict.READY
                ? StoreProbe.Result.ok()
                : StoreProbe.Result.unreachable("/var/tmp/store-1 does not exist");
        return RegionStatusCalculator.calculate(
                spec, null, generation, Map.of("store-1", probe), List.of(), Map.of(), Map.of(), NOW);
    }

    private static Object definition(Verdict verdict, long generation) {
        Optional<Outcome> problem = switch (verdict) {
            case IN_PROGRESS ->
                Optional.of(Outcome.inProgress(
                        Reason.GalleryNotFound, "gallery contoso.images does not exist in namespace x"));
            case STALLED ->
                Optional.of(Outcome.stalled(
                        Reason.IdentifierConflict, "publisher/offer/sku a/b/c is already used by ImageDefinition y"));
            case READY -> Optional.empty();
        };
        var latest =
                new LatestVersions.Result(Optional.of(SemanticVersion.parse("1.0.0")), Map.of("westeurope", "1.0.0"));
        return ImageDefinitionStatusCalculator.calculate(
                null,
                generation,
                new ImageDefinitionStatusCalculator.Findings(problem, latest, List.of(), 1, null),
                NOW);
    }

    private static Object version(Verdict verdict, long generation) {
        List<RegionReplication> regions = switch (verdict) {
            case IN_PROGRESS -> regions(RegionState.Completed, RegionState.Replicating);
            case STALLED -> regions(RegionState.Completed, RegionState.Failed);
            case READY -> regions(RegionState.Completed, RegionState.Completed);
        };
        return ImageVersionStatusCalculator.calculate(
                null,
                generation,
                new ImageVersionStatusCalculator.Findings(
                        Optional.empty(),
                        regions,
                        1024L,
                        "x/contoso.images/ubuntu-22.04/1.0.0",
                        null,
                        Optional.empty(),
                        null),
                NOW);
    }

    private static List<RegionReplication> regions(RegionState... states) {
        return IntStream.range(0, states.length)
                .mapToObj(i -> {
                    RegionReplication region = new RegionReplication();
                    region.region = "region-" + i;
                    region.state = states[i];
                    region.details = states[i].name();
                    return region;
                })
                .toList();
    }
}
