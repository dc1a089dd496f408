package dev.imagegallery.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * The timings of leader election on the operator's Lease; set as image-gallery.leader-election.*
 * properties (the chart's leaderElection values). The defaults are Kubernetes' own controllers'.
 */
@ConfigMapping(prefix = "image-gallery.leader-election")
public interface LeaderElectionConfig {
    /**
     * How long after its last renewal another replica may take the Lease: the time a crashed leader's
     * work waits for its successor.
     */
    @WithDefault("15s")
    Duration leaseDuration();

    /**
     * How long the leader goes on trying to renew before it gives up the Lease and exits: the longest
     * API server outage it rides out. Also how long a reading of the Lease lets it write into stores.
     */
    @WithDefault("10s")
    Duration renewDeadline();

    /** How often the leader renews, and a follower tries to take the Lease. */
    @WithDefault("2s")
    Duration retryPeriod();

    /**
     * Why these timings cannot work, if they cannot: the renew deadline must be below the lease
     * duration (the margin is what clocks may differ by) and above the retry period.
     */
    default Optional<String> problem() {
        if (renewDeadline().compareTo(leaseDuration()) >= 0) {
            return Optional.of("image-gallery.leader-election.renew-deadline ("
                    + renewDeadline().toMillis() + " ms) must be below lease-duration ("
                    + leaseDuration().toMillis() + " ms)");
        }
        if (retryPeriod().compareTo(renewDeadline()) >= 0) {
            return Optional.of("image-gallery.leader-election.retry-period ("
                    + retryPeriod().toMillis() + " ms) must be below renew-deadline ("
                    + renewDeadline().toMillis() + " ms)");
        }
        return Optional.empty();
    }
}
