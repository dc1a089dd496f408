package dev.imagegallery.status;

import dev.imagegallery.validation.Violation;

/**
 * What one reconcile concluded about an object, in kstatus terms: done, still working (transient,
 * will retry or progress by itself), or stuck until the user changes something.
 */
public record Outcome(Kind kind, Reason reason, String message) {
    public enum Kind {
        READY,
        IN_PROGRESS,
        STALLED
    }

    public static Outcome ready(Reason reason, String message) {
        return new Outcome(Kind.READY, reason, message);
    }

    public static Outcome inProgress(Reason reason, String message) {
        return new Outcome(Kind.IN_PROGRESS, reason, message);
    }

    public static Outcome stalled(Reason reason, String message) {
        return new Outcome(Kind.STALLED, reason, message);
    }

    /** A broken rule: only the user's change can help. */
    public static Outcome stalled(Violation violation) {
        return stalled(violation.reason(), violation.message());
    }
}
