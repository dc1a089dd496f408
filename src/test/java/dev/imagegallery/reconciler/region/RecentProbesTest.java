package dev.imagegallery.reconciler.region;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegallery.api.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentProbesTest {
    private static final Duration REUSE = Duration.ofSeconds(60);

    private final List<String> asked = new ArrayList<>();
    private StoreProbe.Result answer = StoreProbe.Result.ok();
    private Instant now = Instant.parse("2026-12-02T10:00:00Z");
    private final RecentProbes probes = new RecentProbes(
            store -> {
                asked.add(store.endpoint);
                return answer;
            },
            REUSE,
            new Clock() {
                @Override
                public Instant instant() {
                    return now;
                }

                @Override
                public ZoneOffset getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(java.time.ZoneId zone) {
                    return this;
                }
            });

    @Test
    void aReachableStoreIsNotAskedAgainWithinTheReuseWindow() {
        Store store = store("file:///stores/a");

        assertThat(probes.probe(store).reachable()).isTrue();
        now = now.plus(REUSE).minusSeconds(1);
        assertThat(probes.probe(store).reachable()).isTrue();
        assertThat(asked).hasSize(1);

        now = now.plusSeconds(1);
        answer = StoreProbe.Result.unreachable("gone");
        assertThat(probes.probe(store).reachable()).isFalse();
        assertThat(asked).hasSize(2);
    }

    @Test
    void anUnreachableStoreIsAskedAtEveryProbe() {
        answer = StoreProbe.Result.unreachable("connection refused");
        Store store = store("https://stores.example/a");

        probes.probe(store);
        StoreProbe.Result second = probes.probe(store);

        assertThat(asked).hasSize(2);
        assertThat(second.detail()).isEqualTo("connection refused");
    }

    @Test
    void aChangedSpecOrAForgetIsProbedAtOnce() {
        probes.probe(store("file:///stores/a"));
        probes.probe(store("file:///stores/b"));
        probes.forget();
        probes.probe(store("file:///stores/b"));

        assertThat(asked).containsExactly("file:///stores/a", "file:///stores/b", "file:///stores/b");
    }

    private static Store store(String endpoint) {
        Store store = new Store();
        store.name = "a";
        store.endpoint = endpoint;
        return store;
    }
}
