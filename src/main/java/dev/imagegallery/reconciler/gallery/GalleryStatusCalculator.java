package dev.imagegallery.reconciler.gallery;

import dev.imagegallery.api.GalleryStatus;
import dev.imagegallery.status.Conditions;
import dev.imagegallery.status.Outcome;
import dev.imagegallery.status.Reason;
import dev.imagegallery.validation.Violation;
import java.time.Instant;
import java.util.Optional;

/** A Gallery's status from what it holds, whether it fits the namespace's quota and whether its sharing may be granted. Pure. */
public final class GalleryStatusCalculator {
    private GalleryStatusCalculator() {}

    public static GalleryStatus calculate(
            GalleryStatus previous,
            long generation,
            int definitions,
            int versions,
            boolean overQuota,
            int quota,
            Optional<Violation> refusedSubject,
            Instant now) {
        GalleryStatus status = new GalleryStatus();
        status.observedGeneration = generation;
        status.imageDefinitionCount = definitions;
        status.imageVersionCount = versions;
        Outcome outcome = overQuota
                ? Outcome.stalled(
                        Reason.QuotaExceeded,
                        "the namespace already has " + quota
                                + " galleries, its quota (image-gallery.galleries-per-namespace); delete one or raise the quota")
                : refusedSubject
                        .map(Outcome::stalled)
                        .orElseGet(() -> Outcome.ready(
                                Reason.Available,
                                "The gallery holds " + definitions + " image definitions and " + versions
                                        + " versions"));
        status.conditions = Conditions.apply(previous == null ? null : previous.conditions, generation, outcome, now);
        return status;
    }
}
