package dev.imagegallery.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegallery.validation.FirstClaim.Claimant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FirstClaimTest {
    private static final Claimant OLD = new Claimant("old", "2026-11-01T00:00:00Z");
    private static final Claimant NEW = new Claimant("new", "2026-11-02T00:00:00Z");
    private static final Claimant SAME_TIME_B = new Claimant("b", "2026-11-01T00:00:00Z");

    @Test
    void theEarlierObjectHoldsTheClaim() {
        assertThat(FirstClaim.heldBefore(NEW, List.of(OLD, NEW))).contains(OLD);
        assertThat(FirstClaim.heldBefore(OLD, List.of(OLD, NEW))).isEmpty();
    }

    @Test
    void creationTiesAreBrokenByName() {
        assertThat(FirstClaim.heldBefore(SAME_TIME_B, List.of(OLD, SAME_TIME_B)))
                .isEmpty();
        assertThat(FirstClaim.heldBefore(OLD, List.of(OLD, SAME_TIME_B))).contains(SAME_TIME_B);
    }

    @Test
    void onlyClaimantsBeyondTheLimitExceedIt() {
        List<Claimant> all = List.of(OLD, NEW, SAME_TIME_B);
        assertThat(FirstClaim.beyondLimit(SAME_TIME_B, all, 2)).isFalse();
        assertThat(FirstClaim.beyondLimit(OLD, all, 2)).isFalse();
        assertThat(FirstClaim.beyondLimit(NEW, all, 2)).isTrue();
    }

    @Test
    void aBudgetIsSpentInClaimOrderAndTheFirstToOverrunItIsRefused() {
        FirstClaim.Claimant first = new FirstClaim.Claimant("a", "2026-01-01T00:00:00Z");
        FirstClaim.Claimant second = new FirstClaim.Claimant("b", "2026-01-02T00:00:00Z");
        FirstClaim.Claimant third = new FirstClaim.Claimant("c", "2026-01-03T00:00:00Z");
        java.util.Map<FirstClaim.Claimant, Long> asks = java.util.Map.of(first, 60L, second, 30L, third, 20L);

        org.assertj.core.api.Assertions.assertThat(FirstClaim.beyondBudget(first, 60, asks, 100))
                .isFalse();
        org.assertj.core.api.Assertions.assertThat(FirstClaim.beyondBudget(second, 30, asks, 100))
                .isFalse();
        org.assertj.core.api.Assertions.assertThat(FirstClaim.beyondBudget(third, 20, asks, 100))
                .isTrue();
    }
}
