package dev.imagegallery.reconciler;

import dev.imagegallery.api.Condition;
import dev.imagegallery.api.ReconciledStatus;
import dev.imagegallery.events.EventRecorder;
import dev.imagegallery.status.EndOfLifeCondition;
import dev.imagegallery.status.StatusWriter;
import dev.imagegallery.status.Transitions;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.List;

/**
 * How a gallery, definition or version reconcile ends: an Event for every state transition (and for
 * reaching end of life), and the status written only if it changed.
 */
public final class StatusPublisher {
    private StatusPublisher() {}

    public static <S extends ReconciledStatus, R extends CustomResource<?, S>> UpdateControl<R> publish(
            Context<R> context, EventRecorder events, R resource, S next) {
        List<Condition> previous = resource.getStatus() == null ? null : resource.getStatus().conditions;
        Transitions.recordEvents(events, resource, previous, next.conditions);
        EndOfLifeCondition.recordEvent(events, resource, previous, next.conditions);
        return StatusWriter.patchIfChanged(context, resource, next);
    }
}
