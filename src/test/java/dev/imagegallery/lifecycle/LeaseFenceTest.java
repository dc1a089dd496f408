package dev.imagegallery.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegallery.replication.FencedException;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LeaseFenceTest {
    private static final Duration RENEW_DEADLINE = Duration.ofSeconds(10);

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
    private final LeaseFence fence = new LeaseFence(() -> now.get());
    private final AtomicReference<Lease> lease = new AtomicReference<>();
    private final AtomicInteger reads = new AtomicInteger();

    @Test
    void withoutLeaderElectionTheProcessIsAloneAndAlwaysWrites() {
        assertThatNoException().isThrownBy(fence::check);
    }

    @Test
    void aLeaseThisProcessRenewedAnswersForTheRenewDeadlineWithoutReadingItAgain() {
        lease.set(lease(fence.writer(), 0));
        requireTheLease();

        for (int i = 0; i < 100; i++) {
            assertThatNoException().isThrownBy(fence::check);
        }
        assertThat(reads).as("reads of the Lease for 100 checks").hasValue(1);
    }

    @Test
    void aProcessPausedPastItsLeaseReadsItAgainAndIsRefusedOnceAnotherHoldsIt() {
        lease.set(lease(fence.writer(), 1));
        requireTheLease();
        assertThatNoException().isThrownBy(fence::check);

        // Stopped for 20 s, while the other replica took the Lease.
        now.set(now.get().plusSeconds(20));
        lease.set(lease("second_8c1e", 1));

        assertThatThrownBy(fence::check)
                .isInstanceOf(FencedException.class)
                .hasMessageStartingWith("this operator (" + fence.writer()
                        + ") no longer holds the Lease: second_8c1e does, renewed at ");
        assertThat(reads).as("reads of the Lease").hasValue(2);
    }

    @Test
    void aLeaseNotRenewedWithinTheDeadlineRefusesEvenWhenItStillNamesThisProcess() {
        lease.set(lease(fence.writer(), 12));
        requireTheLease();

        assertThatThrownBy(fence::check).isInstanceOf(FencedException.class);
    }

    @Test
    void aLeaseThatCannotBeReadRefusesTheWrite() {
        fence.require(
                () -> {
                    throw new KubernetesClientException("connection refused");
                },
                RENEW_DEADLINE);

        assertThatThrownBy(fence::check)
                .isInstanceOf(FencedException.class)
                .hasMessage("cannot read the Lease to show that this operator (" + fence.writer()
                        + ") still holds it: connection refused");
    }

    private void requireTheLease() {
        fence.require(
                () -> {
                    reads.incrementAndGet();
                    return lease.get();
                },
                RENEW_DEADLINE);
    }

    private Lease lease(String holder, int renewedSecondsAgo) {
        return new LeaseBuilder()
                .withNewSpec()
                .withHolderIdentity(holder)
                .withLeaseDurationSeconds(15)
                .withRenewTime(now.get().minusSeconds(renewedSecondsAgo).atZone(ZoneOffset.UTC))
                .endSpec()
                .build();
    }
}
