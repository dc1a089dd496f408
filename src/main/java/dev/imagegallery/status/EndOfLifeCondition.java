package dev.imagegallery.status;

import dev.imagegallery.api.Condition;
import dev.imagegallery.events.EventRecorder;
import dev.imagegallery.validation.EndOfLifeDate;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The EndOfLife condition of definitions and versions: True once the date has passed, with one Warning Event. */
public final class EndOfLifeCondition {
    public static final String TYPE = "EndOfLife";

    private EndOfLifeCondition() {}

    /** Sets EndOfLife=True once the date has passed, False before; removes it when no date is set. */
    public static void apply(List<Condition> conditions, String endOfLifeDate, long generation, Instant now) {
        if (endOfLifeDate == null) {
            conditions.removeIf(c -> TYPE.equals(c.type));
            return;
        }
        boolean past = !EndOfLifeDate.parse(endOfLifeDate).isAfter(now);
        Conditions.set(
                conditions,
                Conditions.condition(
                        TYPE,
                        past,
                        past ? Reason.EndOfLifeReached : Reason.Supported,
                        past
                                ? "End of life was " + endOfLifeDate + ": plan to move off this image"
                                : "Supported until " + endOfLifeDate,
                        generation),
                now);
    }

    /** A Warning Event when the object has just reached its end of life. */
    public static void recordEvent(
            EventRecorder events, HasMetadata object, List<Condition> before, List<Condition> after) {
        Condition now = Conditions.find(after, TYPE);
        Condition then = Conditions.find(before, TYPE);
        if (now != null
                && now.status == Condition.ConditionStatus.True
                && (then == null || then.status != now.status)) {
            events.warning(object, Reason.valueOf(now.reason), now.message);
        }
    }

    /** Whether the conditions say the end of life is reached, judged for {@code generation} of the object. */
    public static boolean reachedAt(List<Condition> conditions, long generation) {
        Condition endOfLife = Conditions.find(conditions, TYPE);
        return endOfLife != null
                && endOfLife.status == Condition.ConditionStatus.True
                && endOfLife.observedGeneration != null
                && endOfLife.observedGeneration == generation;
    }

    /** How long until the end of life, so the reconciler runs again exactly when it flips. */
    public static Optional<Duration> timeLeft(String endOfLifeDate, Instant now) {
        if (endOfLifeDate == null) {
            return Optional.empty();
        }
        Duration left = Duration.between(now, EndOfLifeDate.parse(endOfLifeDate));
        return left.isNegative() ? Optional.empty() : Optional.of(left.plusSeconds(1));
    }
}
