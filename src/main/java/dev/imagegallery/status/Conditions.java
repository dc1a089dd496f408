package dev.imagegallery.status;

import dev.imagegallery.api.Condition;
import dev.imagegallery.api.Condition.ConditionStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds the Ready, Reconciling and Stalled conditions from an {@link Outcome}, with kstatus
 * semantics (see shared conventions): READY sets Ready=True; IN_PROGRESS sets Reconciling=True;
 * STALLED sets Stalled=True and Ready=False. A condition's lastTransitionTime changes only when its
 * status changes, so an unchanged outcome yields an equal list and no status write. Every message is
 * {@linkplain Messages#bounded bounded}.
 */
public final class Conditions {
    public static final String READY = "Ready";
    public static final String RECONCILING = "Reconciling";
    public static final String STALLED = "Stalled";

    private Conditions() {}

    /** The conditions after this outcome; other condition types in {@code previous} are kept as they are. */
    public static List<Condition> apply(List<Condition> previous, long generation, Outcome outcome, Instant now) {
        List<Condition> result = new ArrayList<>(previous == null ? List.of() : previous);
        boolean ready = outcome.kind() == Outcome.Kind.READY;
        boolean reconciling = outcome.kind() == Outcome.Kind.IN_PROGRESS;
        boolean stalled = outcome.kind() == Outcome.Kind.STALLED;
        set(result, condition(READY, ready, outcome.reason(), outcome.message(), generation), now);
        set(result, flag(RECONCILING, reconciling, outcome, Reason.Idle, "No work in progress", generation), now);
        set(result, flag(STALLED, stalled, outcome, Reason.NotStalled, "Nothing blocks progress", generation), now);
        return result;
    }

    /** Reconciling or Stalled: the outcome's reason while it holds, else the condition's own quiet reason. */
    private static Condition flag(
            String type, boolean holds, Outcome outcome, Reason quiet, String quietMessage, long generation) {
        return holds
                ? condition(type, true, outcome.reason(), outcome.message(), generation)
                : condition(type, false, quiet, quietMessage, generation);
    }

    /** Puts the condition into the list, replacing the one of the same type; keeps its transition time if the status holds. */
    public static void set(List<Condition> conditions, Condition next, Instant now) {
        Condition current = find(conditions, next.type);
        next.lastTransitionTime = current != null && current.status == next.status
                ? current.lastTransitionTime
                : now.truncatedTo(ChronoUnit.SECONDS).toString();
        if (current == null) {
            conditions.add(next);
        } else {
            conditions.set(conditions.indexOf(current), next);
        }
    }

    public static Condition find(List<Condition> conditions, String type) {
        if (conditions == null) {
            return null;
        }
        return conditions.stream()
                .filter(c -> Objects.equals(c.type, type))
                .findFirst()
                .orElse(null);
    }

    public static Condition condition(String type, boolean status, Reason reason, String message, long generation) {
        Condition condition = new Condition();
        condition.type = type;
        condition.status = status ? ConditionStatus.True : ConditionStatus.False;
        condition.reason = reason.name();
        condition.message = Messages.bounded(message);
        condition.observedGeneration = generation;
        return condition;
    }
}
