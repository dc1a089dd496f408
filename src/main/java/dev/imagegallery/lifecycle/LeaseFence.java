package dev.imagegallery.lifecycle;

import dev.imagegallery.replication.FencedException;
import dev.imagegallery.replication.WriteFence;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Lets this process write into stores only while it can show that it holds the Lease: the Lease
 * names it and was renewed less than the renew deadline ago. A leader renews every retry period, so
 * a Lease read once answers for several seconds of checks; a process that was paused (SIGSTOP, a
 * long GC, a frozen VM) past that finds its last reading stale, reads the Lease again and sees
 * another holder. Another replica can take the Lease only a whole lease duration after its last
 * renewal, which is longer than the renew deadline by the margin clocks may differ by.
 *
 * <p>java-operator-sdk's leader election alone does not fence: its elector notices the loss only
 * at its next renewal, while copy threads write on.
 */
@Singleton
public class LeaseFence implements WriteFence {
    private final String identity;
    private final InstantSource clock;
    // Set when leader election is configured (prod profile); without it this process is alone.
    private volatile Supplier<Lease> leaseReader;
    private volatile Duration renewDeadline;
    private volatile Held held;

    /** What a reading of the Lease showed: who held it, renewed when. */
    record Held(String holder, Instant renewed) {
        static Held of(Lease lease) {
            if (lease == null || lease.getSpec() == null) {
                return new Held(null, Instant.EPOCH);
            }
            return new Held(
                    lease.getSpec().getHolderIdentity(),
                    Optional.ofNullable(lease.getSpec().getRenewTime())
                            .map(ZonedDateTime::toInstant)
                            .orElse(Instant.EPOCH));
        }

        boolean by(String identity, Instant now, Duration renewDeadline) {
            return identity.equals(holder) && now.isBefore(renewed.plus(renewDeadline));
        }
    }

    public LeaseFence() {
        this(InstantSource.system());
    }

    LeaseFence(InstantSource clock) {
        this.clock = clock;
        // Unique per process, as controller-runtime does it: two processes on one host never share a Lease identity.
        identity = Optional.ofNullable(System.getenv("HOSTNAME"))
                        .filter(h -> !h.isBlank())
                        .orElse("operator") + "_" + UUID.randomUUID();
    }

    @Override
    public String writer() {
        return identity;
    }

    /** From now on writes need the Lease that {@code leaseReader} reads, renewed within {@code renewDeadline}. */
    void require(Supplier<Lease> leaseReader, Duration renewDeadline) {
        this.renewDeadline = renewDeadline;
        this.leaseReader = leaseReader;
    }

    @Override
    public void check() throws FencedException {
        Supplier<Lease> reader = leaseReader;
        if (reader == null || holds(held)) {
            return;
        }
        synchronized (this) {
            if (holds(held)) {
                return;
            }
            try {
                held = Held.of(reader.get());
            } catch (KubernetesClientException e) {
                throw new FencedException("cannot read the Lease to show that this operator (" + identity
                        + ") still holds it: " + e.getMessage());
            }
            if (!holds(held)) {
                throw new FencedException("this operator (" + identity + ") no longer holds the Lease: "
                        + Optional.ofNullable(held.holder()).orElse("nobody") + " does, renewed at "
                        + held.renewed());
            }
        }
    }

    private boolean holds(Held reading) {
        return reading != null && reading.by(identity, clock.instant(), renewDeadline);
    }
}
