package dev.imagegallery.validation;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides between objects that claim the same thing (an identifier, a version number, a quota
 * slot): the one created first keeps it, ties broken by name, so the decision never flips.
 */
public final class FirstClaim {
    /** One claimant: its name and creation time (RFC 3339, as the API server writes it). */
    public record Claimant(String name, String createdAt) {}

    private static final Comparator<Claimant> ORDER =
            Comparator.comparing(Claimant::createdAt).thenComparing(Claimant::name);

    private FirstClaim() {}

    /** The claimant that holds the claim before {@code self}, if any. */
    public static Optional<Claimant> heldBefore(Claimant self, List<Claimant> claimants) {
        return claimants.stream()
                .filter(c -> !c.name().equals(self.name()) && ORDER.compare(c, self) < 0)
                .min(ORDER);
    }

    /**
     * Whether {@code self}, asking {@code own} of a budget, would exceed it after every claimant before
     * it took what it asks ({@code asks}, by name).
     */
    public static boolean beyondBudget(Claimant self, long own, Map<Claimant, Long> asks, long budget) {
        long before = asks.entrySet().stream()
                .filter(c -> !c.getKey().name().equals(self.name()) && ORDER.compare(c.getKey(), self) < 0)
                .mapToLong(Map.Entry::getValue)
                .sum();
        return before + own > budget;
    }

    /** Whether {@code self} is beyond the first {@code limit} claimants (it would exceed a quota). */
    public static boolean beyondLimit(Claimant self, List<Claimant> claimants, int limit) {
        return claimants.stream()
                        .filter(c -> !c.name().equals(self.name()) && ORDER.compare(c, self) < 0)
                        .count()
                >= limit;
    }
}
