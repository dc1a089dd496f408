package dev.imagegallery.reconciler.version;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegallery.reconciler.version.CopyOrigins.Known;
import dev.imagegallery.reconciler.version.CopyOrigins.Origin;
import dev.imagegallery.replication.CopyState;
import dev.imagegallery.replication.FailureReason;
import dev.imagegallery.replication.ReplicaKey;
import dev.imagegallery.replication.VersionKey;
import dev.imagegallery.testing.Property;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CopyOriginsTest {
    private static final VersionKey VERSION = new VersionKey("team", "main", "ubuntu", "1.0.0");
    private static final CopyState DONE = new CopyState.Completed("team/main/ubuntu/1.0.0/0");
    private static final CopyState COPYING = new CopyState.Copying(1, 10);

    @Test
    void theFirstReplicaOfTheSourceRegionReadsTheSourceAndTheOthersWait() {
        List<StoredReplica> wanted = List.of(replica("east", 0), replica("west", 0), replica("west", 1));

        Map<ReplicaKey, Origin> origins = CopyOrigins.choose("west", wanted, Map.of());

        assertThat(origins.get(key("west", 0))).isEqualTo(new Origin.Source());
        assertThat(origins.get(key("west", 1))).isInstanceOf(Origin.Await.class);
        assertThat(((Origin.Await) origins.get(key("east", 0))).details())
                .isEqualTo("waiting to be copied from replica 0 of region west, which is being copied from the source");
    }

    @Test
    void aReplicaIsCopiedFromACompleteOneOfItsOwnRegionBeforeOneOfTheSourceRegion() {
        List<StoredReplica> wanted =
                List.of(replica("west", 0), replica("east", 0), replica("east", 1), replica("north", 0));
        Map<ReplicaKey, Known> known = Map.of(
                key("west", 0), new Known(DONE, true),
                key("east", 0), new Known(DONE, false));

        Map<ReplicaKey, Origin> origins = CopyOrigins.choose("west", wanted, known);

        assertThat(origins).containsOnlyKeys(key("east", 1), key("north", 0));
        assertThat(origins.get(key("east", 1))).isEqualTo(new Origin.Replica(replica("east", 0)));
        assertThat(origins.get(key("north", 0))).isEqualTo(new Origin.Replica(replica("west", 0)));
    }

    @Test
    void aSourceReadThatFailedForGoodLetsTheNextReplicaReadTheSource() {
        List<StoredReplica> wanted = List.of(replica("west", 0), replica("west", 1));
        Map<ReplicaKey, Known> known =
                Map.of(key("west", 0), new Known(new CopyState.Failed(FailureReason.StoreUnavailable, "503", 5), true));

        assertThat(CopyOrigins.choose("west", wanted, known).get(key("west", 1)))
                .isEqualTo(new Origin.Source());
    }

    @Test
    void aSourceReadRetryingAFaultOfItsStoreLetsTheNextReplicaReadTheSource() {
        List<StoredReplica> wanted = List.of(replica("west", 0), replica("west", 1), replica("east", 0));
        Map<ReplicaKey, Known> known = Map.of(
                key("west", 0), new Known(new CopyState.Pending(2, FailureReason.AuthenticationFailed, "401"), true));

        Map<ReplicaKey, Origin> origins = CopyOrigins.choose("west", wanted, known);

        assertThat(origins.get(key("west", 1))).isEqualTo(new Origin.Source());
        assertThat(origins.get(key("east", 0))).isInstanceOf(Origin.Await.class);
    }

    @Test
    void aSourceThatFailedItselfFailsTheOthersWithoutReadingItAgain() {
        List<StoredReplica> wanted = List.of(replica("west", 0), replica("west", 1), replica("east", 0));
        CopyState.Failed digest = new CopyState.Failed(FailureReason.DigestMismatch, "digest is abc", 5);
        Map<ReplicaKey, Known> known = Map.of(key("west", 0), new Known(digest, true));

        Map<ReplicaKey, Origin> origins = CopyOrigins.choose("west", wanted, known);

        assertThat(origins)
                .containsOnlyKeys(key("west", 1), key("east", 0))
                .allSatisfy(
                        (key, origin) -> assertThat(origin).isEqualTo(new Origin.SourceFailed(key("west", 0), digest)));
    }

    @Test
    void withoutAReplicaInTheSourceRegionTheFirstReplicaElsewhereReadsTheSource() {
        List<StoredReplica> wanted = List.of(replica("east", 0), replica("north", 0));

        Map<ReplicaKey, Origin> origins = CopyOrigins.choose("west", wanted, Map.of());

        assertThat(origins.get(key("east", 0))).isEqualTo(new Origin.Source());
        assertThat(origins.get(key("north", 0))).isInstanceOf(Origin.Await.class);
    }

    /** Copies ending in any order, none failing: the source is read once, and every replica is copied. */
    @Test
    void whateverOrderCopiesEndInTheSourceIsReadOnce() {
        Property.check(200, random -> {
            List<StoredReplica> wanted = randomReplicas(random);
            String sourceRegion =
                    wanted.get(random.nextInt(wanted.size())).key().region();
            Map<ReplicaKey, Known> known = new HashMap<>();
            int sourceReads = 0;
            while (known.size() < wanted.size()
                    || known.values().stream().anyMatch(k -> !(k.state() instanceof CopyState.Completed))) {
                for (var chosen :
                        CopyOrigins.choose(sourceRegion, wanted, known).entrySet()) {
                    if (chosen.getValue() instanceof Origin.Source) {
                        sourceReads++;
                        known.put(chosen.getKey(), new Known(COPYING, true));
                    } else if (chosen.getValue() instanceof Origin.Replica from) {
                        assertThat(known.get(from.replica().key()).state()).isInstanceOf(CopyState.Completed.class);
                        known.put(chosen.getKey(), new Known(COPYING, false));
                    }
                }
                List<ReplicaKey> running = known.entrySet().stream()
                        .filter(e -> e.getValue().state() == COPYING)
                        .map(Map.Entry::getKey)
                        .toList();
                assertThat(running).as("a copy runs while replicas remain").isNotEmpty();
                ReplicaKey ends = running.get(random.nextInt(running.size()));
                known.put(ends, new Known(DONE, known.get(ends).readsSource()));
            }
            assertThat(sourceReads).isEqualTo(1);
        });
    }

    private static List<StoredReplica> randomReplicas(Random random) {
        List<StoredReplica> replicas = new ArrayList<>();
        int regions = 1 + random.nextInt(5);
        for (int r = 0; r < regions; r++) {
            int count = 1 + random.nextInt(4);
            for (int i = 0; i < count; i++) {
                replicas.add(replica("region-" + r, i));
            }
        }
        return replicas;
    }

    private static StoredReplica replica(String region, int index) {
        return new StoredReplica(key(region, index), "store-" + index, null, Optional.empty());
    }

    private static ReplicaKey key(String region, int index) {
        return new ReplicaKey(VERSION, region, index);
    }
}
