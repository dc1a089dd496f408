package dev.imagegallery.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LeaderElectionConfigTest {
    @Test
    void theDefaultsOfKubernetesOwnControllersWork() {
        assertThat(timings("15s", "10s", "2s").problem()).isEmpty();
    }

    @Test
    void aRenewDeadlineNotBelowTheLeaseDurationIsRefusedNamingBoth() {
        assertThat(timings("15s", "15s", "2s").problem())
                .contains(
                        "image-gallery.leader-election.renew-deadline (15000 ms) must be below lease-duration (15000 ms)");
    }

    @Test
    void aRetryPeriodNotBelowTheRenewDeadlineIsRefusedNamingBoth() {
        assertThat(timings("60s", "45s", "45s").problem())
                .contains(
                        "image-gallery.leader-election.retry-period (45000 ms) must be below renew-deadline (45000 ms)");
    }

    private static LeaderElectionConfig timings(String lease, String renew, String retry) {
        return new LeaderElectionConfig() {
            @Override
            public Duration leaseDuration() {
                return Duration.parse("PT" + lease);
            }

            @Override
            public Duration renewDeadline() {
                return Duration.parse("PT" + renew);
            }

            @Override
            public Duration retryPeriod() {
                return Duration.parse("PT" + retry);
            }
        };
    }
}
