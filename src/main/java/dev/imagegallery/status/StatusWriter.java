package dev.imagegallery.status;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

/**
 * The one way status is written: java-operator-sdk's server-side apply of the status subresource,
 * with the controller's field manager, and only when the status differs from the one the object
 * carries, so that a reconcile that changes nothing makes no API request (JOSDK itself patches
 * whenever asked).
 */
public final class StatusWriter {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private StatusWriter() {}

    /** From reconcile: JOSDK applies the status it is handed back. */
    public static <S, R extends CustomResource<?, S>> UpdateControl<R> patchIfChanged(R resource, S next) {
        if (unchanged(resource, next)) {
            return UpdateControl.noUpdate();
        }
        resource.setStatus(next);
        return UpdateControl.patchStatus(resource);
    }

    /**
     * From cleanup, whose DeleteControl carries no status: the apply JOSDK makes for patchStatus.
     * Returns whether it wrote.
     */
    public static <S, R extends CustomResource<?, S>> boolean applyIfChanged(Context<R> context, R resource, S next) {
        if (unchanged(resource, next)) {
            return false;
        }
        resource.setStatus(next);
        context.resourceOperations().serverSideApplyPrimaryStatus(resource);
        return true;
    }

    private static <S> boolean unchanged(CustomResource<?, S> resource, S next) {
        Object current = fields(resource.getStatus());
        return current != null && current.equals(fields(next));
    }

    /** A status as the API server stores it (maps, lists and values), to compare; null for null. */
    public static Object fields(Object status) {
        return SERIALIZATION.convertValue(status, Object.class);
    }
}
