package dev.imagegallery.status;

import dev.imagegallery.api.Condition;
import dev.imagegallery.api.Condition.ConditionStatus;
import dev.imagegallery.events.EventRecorder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Objects;

/**
 * Records an Event when an object's Ready or Stalled state changes, so every transition is visible once;
 * not for a version's first status while it replicates.
 */
public final class Transitions {
    private Transitions() {}

    public static void recordEvents(
            EventRecorder events, HasMetadata object, List<Condition> before, List<Condition> after) {
        Condition stalled = Conditions.find(after, Conditions.STALLED);
        Condition ready = Conditions.find(after, Conditions.READY);
        if (stalled != null
                && stalled.status == ConditionStatus.True
                && changed(Conditions.find(before, Conditions.STALLED), stalled)) {
            events.warning(object, Reason.valueOf(stalled.reason), stalled.message);
        } else if (ready != null
                && changed(Conditions.find(before, Conditions.READY), ready)
                && !startsInProgress(before, ready)) {
            events.normal(object, Reason.valueOf(ready.reason), ready.message);
        }
    }

    /**
     * A version's first status, replicating as it should: where it starts, which its status shows,
     * rather than a transition; its first Event is where it ends up (each Event is a request, and a new
     * version is worth a few). A first status that waits for something (a missing gallery, say) still
     * has its Event.
     */
    private static boolean startsInProgress(List<Condition> before, Condition ready) {
        return Conditions.find(before, Conditions.READY) == null
                && Reason.Replicating.name().equals(ready.reason);
    }

    private static boolean changed(Condition before, Condition after) {
        return before == null || before.status != after.status || !Objects.equals(before.reason, after.reason);
    }
}
