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

    /** What a status write must be, from the stored status and the next one. */
    enum Write {
        /** None: the status is the same. */
        NONE,
        /** A server-side apply of the operator's fields. */
        APPLY,
        /** The status replaced whole: it holds fields an apply would leave in place. */
        REPLACE
    }

    /** From reconcile: JOSDK applies the status it is handed back, unless it had to be replaced whole here. */
    public static <S, R extends CustomResource<?, S>> UpdateControl<R> patchIfChanged(
            Context<R> context, R resource, S next) {
        Write write = writeFor(resource.getStatus(), next);
        if (write == Write.NONE) {
            return UpdateControl.noUpdate();
        }
        resource.setStatus(next);
        if (write == Write.REPLACE) {
            context.resourceOperations().updatePrimaryStatus(resource);
            return UpdateControl.noUpdate();
        }
        return UpdateControl.patchStatus(resource);
    }

    /**
     * From cleanup, whose DeleteControl carries no status: the apply JOSDK makes for patchStatus.
     * Returns whether it wrote.
     */
    public static <S, R extends CustomResource<?, S>> boolean applyIfChanged(Context<R> context, R resource, S next) {
        Write write = writeFor(resource.getStatus(), next);
        if (write == Write.NONE) {
            return false;
        }
        resource.setStatus(next);
        if (write == Write.REPLACE) {
            context.resourceOperations().updatePrimaryStatus(resource);
        } else {
            context.resourceOperations().serverSideApplyPrimaryStatus(resource);
        }
        return true;
    }

    /**
     * The write that makes the stored status {@code next}, each serialised once: a replace when the
     * stored status has a field {@code next} lacks, at any depth of its objects, which an apply of
     * {@code next} would leave in place. Lists are replaced whole by an apply (the CRDs declare no
     * list-map), so only their presence counts.
     */
    static Write writeFor(Object stored, Object next) {
        Object current = fields(stored);
        Object wanted = fields(next);
        if (current != null && current.equals(wanted)) {
            return Write.NONE;
        }
        return beyond(current, wanted) ? Write.REPLACE : Write.APPLY;
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

    /** A status as the API server stores it (maps, lists and values), to compare; null for null. */
    public static Object fields(Object status) {
        return SERIALIZATION.convertValue(status, Object.class);
    }
}
