package dev.imagegallery.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Which copies get a slot: the bounds and the fairness, decided without threads. */
class CopyQueueTest {
    private static final VersionKey TEAM_A = new VersionKey("team-a", "main", "ubuntu", "1.2.0");
    private static final VersionKey TEAM_B = new VersionKey("team-b", "main", "ubuntu", "1.2.0");

    @Test
    void noMoreCopiesRunThanTheGlobalLimitAndAFreedSlotStartsTheNext() {
        CopyQueue<ReplicaKey> queue = queue(2, 2, 2);
        for (int region = 0; region < 5; region++) {
            queue.add(new ReplicaKey(TEAM_A, "region-" + region, 0));
        }

        List<ReplicaKey> started = startAll(queue);

        assertThat(started).extracting(ReplicaKey::region).containsExactly("region-0", "region-1");
        queue.release(started.get(0));
        assertThat(startAll(queue)).extracting(ReplicaKey::region).containsExactly("region-2");
    }

    @Test
    void noMoreCopiesRunInARegionThanItsLimit() {
        CopyQueue<ReplicaKey> queue = queue(4, 1, 4);
        for (int index = 0; index < 3; index++) {
            queue.add(new ReplicaKey(TEAM_A, "west", index));
        }
        queue.add(new ReplicaKey(TEAM_A, "east", 0));

        assertThat(startAll(queue))
                .containsExactly(new ReplicaKey(TEAM_A, "west", 0), new ReplicaKey(TEAM_A, "east", 0));
    }

    @Test
    void aNamespaceThatQueuedManyCopiesFirstNeitherHoldsEverySlotNorKeepsAnotherWaiting() {
        CopyQueue<ReplicaKey> queue = queue(3, 3, 2);
        for (int region = 0; region < 6; region++) {
            queue.add(new ReplicaKey(TEAM_A, "region-" + region, 0));
        }
        queue.add(new ReplicaKey(TEAM_B, "region-0", 0));

        List<ReplicaKey> started = startAll(queue);

        assertThat(started)
                .filteredOn(key -> key.version().equals(TEAM_A))
                .as("team-a, at most 2 of the 3 slots")
                .hasSize(2);
        assertThat(started).contains(new ReplicaKey(TEAM_B, "region-0", 0));
    }

    @Test
    void aRemovedCopyNeverStarts() {
        CopyQueue<ReplicaKey> queue = queue(1, 1, 1);
        ReplicaKey removed = new ReplicaKey(TEAM_A, "west", 0);
        queue.add(removed);
        queue.add(new ReplicaKey(TEAM_A, "west", 1));

        queue.remove(removed);

        assertThat(startAll(queue)).containsExactly(new ReplicaKey(TEAM_A, "west", 1));
    }

    private static CopyQueue<ReplicaKey> queue(int global, int perRegion, int perNamespace) {
        return new CopyQueue<>(
                new ReplicationSettings(global, perRegion, perNamespace, 1, Duration.ZERO, Duration.ZERO),
                Function.identity());
    }

    private static List<ReplicaKey> startAll(CopyQueue<ReplicaKey> queue) {
        List<ReplicaKey> started = new ArrayList<>();
        for (Optional<ReplicaKey> next = queue.start(); next.isPresent(); next = queue.start()) {
            started.add(next.get());
        }
        return started;
    }
}
