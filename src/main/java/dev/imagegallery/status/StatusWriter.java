package dev.imagegallery.status;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

/**
 * Writes a status only when it differs from the one the object carries: a reconcile that changes
 * nothing makes no API request (JOSDK itself patches whenever asked).
 */
public final class StatusWriter {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private StatusWriter() {}

  public static <S, R extends CustomResource<?, S>> UpdateControl<R> patchIfChanged(R resource, S next) {
    Object current = SERIALIZATION.convertValue(resource.getStatus(), Object.class);
    if (current != null && current.equals(SERIALIZATION.convertValue(next, Object.class))) {
      return UpdateControl.noUpdate();
    }
    resource.setStatus(next);
    return UpdateControl.patchStatus(resource);
  }
}
