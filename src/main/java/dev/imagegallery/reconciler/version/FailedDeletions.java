package dev.imagegallery.reconciler.version;

import dev.imagegallery.status.Messages;
import java.util.List;

/**
 * How failed deletions of replicas are told: the first few, how many more, and when they are
 * retried, within a message's bound.
 */
final class FailedDeletions {
    /** A version may have 1,000 replicas: a message about failed deletions names a few. */
    private static final int NAMED = 3;

    private FailedDeletions() {}

    static String describe(String prefix, List<String> each) {
        String more = each.size() > NAMED ? "; and " + (each.size() - NAMED) + " more" : "";
        return Messages.bounded(
                prefix + String.join("; ", each.subList(0, Math.min(NAMED, each.size()))),
                more + "; retrying every " + Replication.RECHECK.toSeconds() + "s");
    }
}
