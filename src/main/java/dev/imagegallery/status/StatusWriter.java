package dev.imagegallery.status;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.Map;

/**
 * The one way status is written: java-operator-sdk's server-side apply of the status subresource,
 * with the controller's field manager, and only when the status differs from the one the object
 * carries, so that a reconcile that changes nothing makes no API request (JOSDK itself patches
 * whenever asked). An apply leaves the fields other managers set (anyone allowed to write the status
 * subresource: a tenant, a tool): a status holding a field the operator's does not have is replaced
 * whole instead, so that the stored status is always the operator's own.
 */
public final class StatusWriter {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private StatusWriter() {}

    /** From reconcile: JOSDK applies the status it is handed back, unless it had to be replaced whole here. */
    public static <S, R extends CustomResource<?, S>> UpdateControl<R> patchIfChanged(
            Context<R> context, R resource, S next) {
        if (unchanged(resource, next)) {
            return UpdateControl.noUpdate();
        }
        if (holdsFieldsBeyond(resource.getStatus(), next)) {
            resource.setStatus(next);
            context.resourceOperations().updatePrimaryStatus(resource);
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
        boolean replace = holdsFieldsBeyond(resource.getStatus(), next);
        resource.setStatus(next);
        if (replace) {
            context.resourceOperations().updatePrimaryStatus(resource);
        } else {
            context.resourceOperations().serverSideApplyPrimaryStatus(resource);
        }
        return true;
    }

    /**
     * Whether the stored status has a field {@code next} lacks, at any depth of its objects, which an
     * apply of {@code next} would leave in place. Lists are replaced whole by an apply (the CRDs
     * declare no list-map), so only their presence counts.
     */
    static boolean holdsFieldsBeyond(Object stored, Object next) {
        return beyond(fields(stored), fields(next));
    }

    private static boolean beyond(Object stored, Object next) {
        if (!(stored instanceof Map<?, ?> storedFields)) {
            return false;
        }
        if (!(next instanceof Map<?, ?> nextFields)) {
            return !storedFields.isEmpty();
        }
        return storedFields.entrySet().stream()
                .anyMatch(field -> !nextFields.containsKey(field.getKey())
                        || beyond(field.getValue(), nextFields.get(field.getKey())));
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
