package dev.imagegallery.reconciler;

import dev.imagegallery.api.Condition;
import dev.imagegallery.api.ReconciledStatus;
import dev.imagegallery.events.EventRecorder;
import dev.imagegallery.status.Conditions;
import dev.imagegallery.status.Outcome;
import dev.imagegallery.status.Reason;
import dev.imagegallery.status.StatusWriter;
import dev.imagegallery.status.Transitions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Keeps an object that is being deleted while something still needs it: its finalizer stays,
 * Ready=False with reason DeletionBlocked says why, and the deletion completes by itself once the
 * blocker is gone (the reconciler is re-run by its children's events, and after {@code recheck}).
 */
public final class DeletionGuard {
    /** Children's deletions re-run the cleanup at once; this is only a safety net. */
    private static final Duration CHILDREN_RECHECK = Duration.ofSeconds(30);

    private DeletionGuard() {}

    /** Deletes the object once it holds no children; until then blocks, naming them. */
    public static <S extends ReconciledStatus, R extends CustomResource<?, S>> DeleteControl whileChildrenRemain(
            Context<R> context,
            EventRecorder events,
            R resource,
            Supplier<S> emptyStatus,
            Stream<? extends HasMetadata> children,
            String what) {
        List<String> names =
                children.map(c -> c.getMetadata().getName()).sorted().toList();
        if (names.isEmpty()) {
            return DeleteControl.defaultDelete();
        }
        return block(
                context,
                events,
                resource,
                emptyStatus,
                "Can not delete the " + what + " are deleted: " + String.join(", ", names),
                CHILDREN_RECHECK);
    }

    /** Keeps the object, saying why, and looks again after {@code recheck}. */
    public static <S extends ReconciledStatus, R extends CustomResource<?, S>> DeleteControl block(
            Context<R> context,
            EventRecorder events,
            R resource,
            Supplier<S> emptyStatus,
            String message,
            Duration recheck) {
        S next = resource.getStatus() == null
                ? emptyStatus.get()
                : context.getClient().getKubernetesSerialization().clone(resource.getStatus());
        List<Condition> before = next.conditions;
        next.conditions = Conditions.apply(
                before,
                resource.getMetadata().getGeneration(),
                Outcome.inProgress(Reason.DeletionBlocked, message),
                Instant.now());
        if (StatusWriter.applyIfChanged(context, resource, next)) {
            Transitions.recordEvents(events, resource, before, next.conditions);
        }
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(recheck);
    }
}
