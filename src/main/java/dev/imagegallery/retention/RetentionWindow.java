package dev.imagegallery.retention;

import dev.imagegallery.api.Retention;
import dev.imagegallery.validation.EndOfLifeDate;
import dev.imagegallery.validation.SemanticVersion;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which target regions a version keeps under its definition's {@code spec.retention}: the newest
 * {@code keepLatest} versions not excluded from latest, and every version newer than the oldest of
 * them, keep all; older versions keep only the regions the policy names. Counted from the specs
 * alone, never from replication states: a version that loses replicas stays in the count, so the
 * window cannot move back and forth. Pure.
 */
public final class RetentionWindow {
    private static final Pattern DURATION_PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)([hms])");

    /** One version of the definition, as the window counts it. */
    public record Member(SemanticVersion version, boolean excludedFromLatest) {}

    /** The version's place in the window. */
    public record Version(Member member, List<String> targets, String sourceRegion, boolean regionRemovalAllowed) {}

    /**
     * What the policy gives one version.
     *
     * @param newest whether it keeps all its target regions as one of the newest
     * @param regions the target regions it keeps, in the spec's order
     */
    public record Kept(boolean newest, List<String> regions, String details) {}

    private RetentionWindow() {}

    /**
     * @param versions the definition's versions not being deleted, the version itself among them
     */
    public static Kept of(Retention policy, String definition, List<Member> versions, Version version) {
        List<SemanticVersion> newest = versions.stream()
                .filter(m -> !m.excludedFromLatest())
                .map(Member::version)
                .distinct()
                .sorted(Comparator.reverseOrder())
                .limit(policy.keepLatest)
                .toList();
        String window = "the " + policy.keepLatest + " newest versions of image definition " + definition + " ("
                + String.join(
                        ", ", newest.stream().map(SemanticVersion::toString).toList()) + ")";
        if (newest.size() < policy.keepLatest
                || version.member().version().compareTo(newest.get(newest.size() - 1)) >= 0) {
            return new Kept(
                    true,
                    version.targets(),
                    (version.member().excludedFromLatest() ? "newer than the oldest of " : "one of ") + window
                            + ": kept in all its target regions");
        }
        if (!version.regionRemovalAllowed()) {
            return new Kept(
                    false,
                    version.targets(),
                    "older than " + window + ", but spec.safetyProfile.allowDeletionOfReplicatedLocations is false:"
                            + " kept in all its target regions");
        }
        List<String> named = policy.olderVersions != null && policy.olderVersions.keepIn == Retention.KeepIn.Regions
                ? version.targets().stream()
                        .filter(policy.olderVersions.regions::contains)
                        .toList()
                : List.of();
        List<String> kept = named.isEmpty() ? List.of(version.sourceRegion()) : named;
        return new Kept(
                false,
                kept,
                "older than " + window + ": spec.retention keeps it in "
                        + (named.isEmpty()
                                ? "its source region " + version.sourceRegion() + " only"
                                : String.join(", ", named)));
    }

    /** When the policy deletes a version with this end of life, if it does. */
    public static Optional<Instant> deletionTime(Retention policy, String endOfLifeDate) {
        if (policy == null || policy.deleteAfterEndOfLife == null || endOfLifeDate == null) {
            return Optional.empty();
        }
        return Optional.of(EndOfLifeDate.parse(endOfLifeDate).plus(duration(policy.deleteAfterEndOfLife)));
    }

    /** A duration as Kubernetes writes them (720h, 1h30m, 0s), which admission already checked. */
    static Duration duration(String text) {
        Matcher part = DURATION_PART.matcher(text);
        Duration total = Duration.ZERO;
        while (part.find()) {
            double amount = Double.parseDouble(part.group(1));
            long unitSeconds = switch (part.group(2)) {
                case "h" -> 3600;
                case "m" -> 60;
                default -> 1;
            };
            total = total.plusMillis(Math.round(amount * unitSeconds * 1000));
        }
        return total;
    }
}
