package dev.imagegallery.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegallery.gitops.OperatorStatuses.Case;
import dev.imagegallery.gitops.OperatorStatuses.State;
import dev.imagegallery.testing.KStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What kstatus (Flux's wait and health checks, Helm 4 --wait, kpt) concludes from the statuses the
 * operator's own status calculators write, for every kind in every state it can be in.
 */
class KStatusConformanceTest {
    static List<Case> everyKindInEveryState() {
        return OperatorStatuses.everyKindInEveryState();
    }

    static List<Case> everyStateWithAStatus() {
        return everyKindInEveryState().stream()
                .filter(c -> c.state() != State.FRESH)
                .toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyKindInEveryState")
    void kstatusReadsTheStateTheOperatorMeant(Case c) {
        KStatus.Result expected = switch (c.state()) {
            // kstatus's own rule for an object without status: it assumes Current. The operator writes
            // status on its first visit; deploy/flux's health check expressions wait for it.
            case FRESH -> KStatus.Result.Current;
            case IN_PROGRESS, GENERATION_NOT_OBSERVED -> KStatus.Result.InProgress;
            case READY -> KStatus.Result.Current;
            case STALLED -> KStatus.Result.Failed;
            case TERMINATING -> KStatus.Result.Terminating;
        };

        assertThat(KStatus.of(c.object())).isEqualTo(expected);
    }

    /** kubectl wait --for=condition=Ready ignores a condition that does not say which generation it describes. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("everyStateWithAStatus")
    @SuppressWarnings("unchecked")
    void everyConditionNamesTheGenerationTheStatusDescribes(Case c) {
        Map<String, Object> status = (Map<String, Object>) c.object().get("status");
        List<Map<String, Object>> conditions = (List<Map<String, Object>>) status.get("conditions");
        assertThat(conditions)
                .extracting(condition -> condition.get("type"))
                .contains("Ready", "Reconciling", "Stalled");
        assertThat(conditions)
                .allSatisfy(condition ->
                        assertThat(condition.get("observedGeneration")).isEqualTo(status.get("observedGeneration")));
    }
}
