package dev.imagegallery.reconciler;

import dev.imagegallery.api.Condition;
import dev.imagegallery.api.SharedStatus;
import dev.imagegallery.events.EventRecorder;
import dev.imagegallery.sharing.ShareGrant;
import dev.imagegallery.sharing.ShareWriter;
import dev.imagegallery.status.EndOfLifeCondition;
import dev.imagegallery.status.StatusWriter;
import dev.imagegallery.status.Transitions;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.List;

/**
 * How a gallery, definition or version reconcile ends: its share applied and shown, an Event for
 * every state transition (and for reaching end of life), and the status written only if it changed.
 */
public final class StatusPublisher {
  private StatusPublisher() {}

  public static <S extends SharedStatus, R extends CustomResource<?, S>> UpdateControl<R> publish(KubernetesClient client,
      EventRecorder events, R resource, S next, ShareGrant grant) {
    ShareWriter.apply(client, grant);
    next.sharing = grant.effective();
    List<Condition> previous = resource.getStatus() == null ? null : resource.getStatus().conditions;
    Transitions.recordEvents(events, resource, previous, next.conditions);
    EndOfLifeCondition.recordEvent(events, resource, previous, next.conditions);
    return StatusWriter.patchIfChanged(resource, next);
  }
}
