package dev.imagegallery.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Who hears of a source check's end: only a version whose reconcile was told the check still runs.
 * The checks resolve host names through a resolver the test holds, so a check ends when the test
 * says.
 */
class SourceChecksTest {
    private static final String URL = "https://images.example.com/disk.img";
    private static final Duration NO_PATIENCE = Duration.ZERO;

    private final CountDownLatch resolve = new CountDownLatch(1);
    private final Map<String, Integer> woken = new ConcurrentHashMap<>();
    private final SourceChecks<String> checks = new SourceChecks<>(
            new SourceAccess(
                    new SourcePolicy(List.of(), new AddressRules(List.of()), host -> {
                        try {
                            resolve.await(10, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return new InetAddress[] {InetAddress.getByName("93.184.216.34")};
                    }),
                    new SourceAccess.SourceTimeouts(
                            Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 0),
                    url -> {
                        throw new UnsupportedOperationException("no store sources here");
                    }),
            2,
            owner -> woken.merge(owner, 1, Integer::sum));

    @AfterEach
    void close() {
        checks.close();
    }

    @Test
    void aCheckStartedAheadWakesNobodyAndItsFindingGoesToTheNextReconcile() {
        checks.start("v1", "ns", URL, 512L);
        resolve.countDown();

        await().atMost(Duration.ofSeconds(10)).until(() -> checks.known("v1").isPresent());
        assertThat(checks.finding("v1", "ns", URL, 512L, NO_PATIENCE)).isEqualTo(new SourceChecks.Usable(512));
        assertThat(woken).isEmpty();
    }

    @Test
    void aReconcileToldTheCheckStillRunsIsWokenOnceWhenItEnds() {
        checks.start("v1", "ns", URL, 512L);

        assertThat(checks.finding("v1", "ns", URL, 512L, NO_PATIENCE)).isInstanceOf(SourceChecks.Checking.class);
        assertThat(checks.finding("v1", "ns", URL, 512L, NO_PATIENCE)).isInstanceOf(SourceChecks.Checking.class);
        resolve.countDown();

        await().atMost(Duration.ofSeconds(10)).until(() -> woken.containsKey("v1"));
        assertThat(checks.finding("v1", "ns", URL, 512L, NO_PATIENCE)).isEqualTo(new SourceChecks.Usable(512));
        assertThat(woken).isEqualTo(Map.of("v1", 1));
    }

    @Test
    void aReconcileWaitsForARunningCheckWithinItsPatienceAndNeedsNoWakeUp() throws Exception {
        checks.start("v1", "ns", URL, 512L);
        Thread ender = new Thread(() -> {
            sleep(Duration.ofMillis(100));
            resolve.countDown();
        });
        ender.start();

        assertThat(checks.finding("v1", "ns", URL, 512L, Duration.ofSeconds(10)))
                .isEqualTo(new SourceChecks.Usable(512));
        ender.join();
        sleep(Duration.ofMillis(200));
        assertThat(woken).isEmpty();
    }

    @Test
    void aChangedUrlIsCheckedAnewAndOnlyTheCurrentCheckWakes() {
        checks.start("v1", "ns", URL, 512L);
        String moved = "https://images.example.com/moved.img";

        assertThat(checks.finding("v1", "ns", moved, 512L, NO_PATIENCE)).isInstanceOf(SourceChecks.Checking.class);
        resolve.countDown();

        await().atMost(Duration.ofSeconds(10)).until(() -> woken.containsKey("v1"));
        assertThat(checks.finding("v1", "ns", moved, 512L, NO_PATIENCE)).isEqualTo(new SourceChecks.Usable(512));
        assertThat(woken).isEqualTo(Map.of("v1", 1));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
