package dev.imagegallery.reconciler.version;

import dev.imagegallery.api.ImageDefinition;
import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.events.EventRecorder;
import dev.imagegallery.retention.RetentionWindow;
import dev.imagegallery.status.EndOfLifeCondition;
import dev.imagegallery.status.Reason;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The definition's {@code spec.retention.deleteAfterEndOfLife}: a version that long past its end of
 * life is deleted, with a Normal Event on its definition. Only once the version's own status says
 * its end of life is reached at its current generation: a date moved later and not yet seen never
 * deletes it, and the deletion admission policy, which reads that condition, lets it through.
 */
final class EndOfLifeDeletion {
    private static final Duration RETRY = Duration.ofMinutes(10);

    private final EventRecorder events;

    EndOfLifeDeletion(EventRecorder events) {
        this.events = events;
    }

    /** When the version is due for deletion, if its definition's policy deletes it at all. */
    static Optional<Instant> due(ImageVersion version, Context<ImageVersion> context) {
        return context.getSecondaryResource(ImageDefinition.class)
                .flatMap(d -> RetentionWindow.deletionTime(
                        d.getSpec().retention, version.getSpec().publishingProfile.endOfLifeDate));
    }

    /**
     * Deletes the version if it is due; true when it was asked to go. A refusal (the chart grants the
     * operator {@code delete} on versions only with {@code retention.allowVersionDeletion}) is a Warning
     * Event, tried again after {@link #RETRY}.
     */
    boolean deleteIfDue(ImageVersion version, Context<ImageVersion> context, Instant now) {
        Optional<Instant> due = due(version, context);
        if (due.isEmpty() || due.get().isAfter(now) || !endOfLifeRecorded(version)) {
            return false;
        }
        ImageDefinition definition =
                context.getSecondaryResource(ImageDefinition.class).orElseThrow();
        String policy = "spec.retention.deleteAfterEndOfLife is " + definition.getSpec().retention.deleteAfterEndOfLife;
        String what = "ImageVersion " + version.getMetadata().getName() + " (version " + version.getSpec().version
                + ", end of life " + version.getSpec().publishingProfile.endOfLifeDate + ")";
        try {
            context.getClient().resource(version).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_FORBIDDEN) {
                throw e; // transient: retried by java-operator-sdk
            }
            events.warning(
                    definition,
                    Reason.VersionDeletionFailed,
                    policy + ", but deleting " + what + " was refused (the operator holds delete on image versions"
                            + " only with the chart's retention.allowVersionDeletion): "
                            + e.getStatus().getMessage());
            return false;
        }
        events.normal(definition, Reason.VersionDeleted, "deleted " + what + ": " + policy);
        return true;
    }

    /**
     * When to look again: just after it is due; at once when it is due and its status is being written; after
     * {@link #RETRY} when its deletion was refused.
     */
    static Optional<Duration> timeLeft(ImageVersion version, Context<ImageVersion> context, Instant now) {
        return due(version, context).map(at -> {
            Duration left = Duration.between(now, at);
            if (!left.isNegative()) {
                return left.plusSeconds(1);
            }
            return endOfLifeRecorded(version) ? RETRY : Duration.ofSeconds(1);
        });
    }

    private static boolean endOfLifeRecorded(ImageVersion version) {
        return version.getStatus() != null
                && EndOfLifeCondition.reachedAt(
                        version.getStatus().conditions, version.getMetadata().getGeneration());
    }
}
