package dev.imagegallery.status;

import dev.imagegallery.api.Condition;
import dev.imagegallery.api.Condition.ConditionStatus;
import dev.imagegallery.events.EventRecorder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Objects;

/** Records an Event when an object's Ready or Stalled state changes, so every transition is visible once. */
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
        } else if (ready != null && changed(Conditions.find(before, Conditions.READY), ready)) {
            events.normal(object, Reason.valueOf(ready.reason), ready.message);
        }
    }

    private static boolean changed(Condition before, Condition after) {
        return before == null || before.status != after.status || !Objects.equals(before.reason, after.reason);
    }
}
