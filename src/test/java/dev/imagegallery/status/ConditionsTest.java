package dev.imagegallery.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegallery.api.Condition;
import dev.imagegallery.api.Condition.ConditionStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {
    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00.123Z");
    private static final Instant T1 = T0.plusSeconds(60);

    @Test
    void readyOutcomeSetsReadyTrueAndTheOthersFalse() {
        List<Condition> conditions = Conditions.apply(null, 3, Outcome.ready(Reason.Available, "all good"), T0);

        assertThat(conditions)
                .extracting(c -> c.type, c -> c.status, c -> c.reason, c -> c.observedGeneration)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("Ready", ConditionStatus.True, "Available", 3L),
                        org.assertj.core.groups.Tuple.tuple("Reconciling", ConditionStatus.False, "Idle", 3L),
                        org.assertj.core.groups.Tuple.tuple("Stalled", ConditionStatus.False, "NotStalled", 3L));
        assertThat(conditions.get(0).lastTransitionTime).isEqualTo("2026-11-28T10:00:00Z");
    }

    @Test
    void stalledOutcomeIsReadyFalseAndStalledTrueWithTheSameReason() {
        List<Condition> conditions = Conditions.apply(null, 1, Outcome.stalled(Reason.QuotaExceeded, "too many"), T0);

        assertThat(Conditions.find(conditions, "Ready").status).isEqualTo(ConditionStatus.False);
        assertThat(Conditions.find(conditions, "Stalled").status).isEqualTo(ConditionStatus.True);
        assertThat(Conditions.find(conditions, "Stalled").reason).isEqualTo("QuotaExceeded");
        assertThat(Conditions.find(conditions, "Reconciling").status).isEqualTo(ConditionStatus.False);
    }

    @Test
    void inProgressOutcomeSetsReconcilingTrue() {
        List<Condition> conditions =
                Conditions.apply(null, 1, Outcome.inProgress(Reason.Replicating, "2 of 3 regions"), T0);

        assertThat(Conditions.find(conditions, "Reconciling").status).isEqualTo(ConditionStatus.True);
        assertThat(Conditions.find(conditions, "Reconciling").message).isEqualTo("2 of 3 regions");
        assertThat(Conditions.find(conditions, "Ready").status).isEqualTo(ConditionStatus.False);
    }

    @Test
    void transitionTimeMovesOnlyWhenTheStatusChanges() {
        List<Condition> first = Conditions.apply(null, 1, Outcome.inProgress(Reason.Replicating, "1 of 3"), T0);
        List<Condition> same = Conditions.apply(first, 1, Outcome.inProgress(Reason.Replicating, "2 of 3"), T1);
        List<Condition> done = Conditions.apply(same, 1, Outcome.ready(Reason.Replicated, "3 of 3"), T1);

        assertThat(Conditions.find(same, "Reconciling").lastTransitionTime).isEqualTo("2026-11-28T10:00:00Z");
        assertThat(Conditions.find(done, "Reconciling").lastTransitionTime).isEqualTo("2026-11-28T10:01:00Z");
        assertThat(Conditions.find(done, "Stalled").lastTransitionTime).isEqualTo("2026-11-28T10:00:00Z");
    }

    @Test
    void everyMessageIsBounded() {
        List<Condition> conditions = Conditions.apply(
                null, 1, Outcome.stalled(Reason.RegionFailed, "source file:///" + "d".repeat(4096)), T0);

        assertThat(Conditions.find(conditions, "Stalled").message)
                .hasSizeLessThanOrEqualTo(Messages.MAX_BYTES)
                .endsWith(Messages.TRUNCATED);
        assertThat(Conditions.find(conditions, "Ready").message)
                .isEqualTo(Conditions.find(conditions, "Stalled").message);
    }

    @Test
    void otherConditionTypesAreKept() {
        List<Condition> withEndOfLife = new java.util.ArrayList<>(
                List.of(Conditions.condition("EndOfLife", true, Reason.EndOfLifeReached, "x", 1)));

        List<Condition> result = Conditions.apply(withEndOfLife, 1, Outcome.ready(Reason.Available, "ok"), T0);

        assertThat(result).extracting(c -> c.type).containsExactly("EndOfLife", "Ready", "Reconciling", "Stalled");
    }
}
