package dev.imagegallery.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.imagegallery.replication.CopyState.Completed;
import dev.imagegallery.replication.CopyState.Copying;
import dev.imagegallery.replication.CopyState.Failed;
import dev.imagegallery.replication.CopyState.Pending;
import dev.imagegallery.testing.StoredFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CopyExecutorTest {
    private static final VersionKey VERSION = new VersionKey("team-a", "main", "ubuntu", "1.2.0");
    private static final VersionKey OTHER_VERSION = new VersionKey("team-a", "main", "ubuntu", "1.3.0");
    private static final int SIZE = 64 * 1024;

    @TempDir
    Path storeRoot;

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final CountDownLatch gate = new CountDownLatch(1);
    private final List<ReplicaKey> submitted = new CopyOnWriteArrayList<>();
    private CopyExecutor executor;

    @AfterEach
    void tearDown() {
        gate.countDown();
        if (executor != null) {
            executor.close();
        }
    }

    @Test
    void noMoreCopiesRunThanTheGlobalLimit() throws Exception {
        start(new ReplicationSettings(2, 2, 2, 1, Duration.ZERO, Duration.ZERO));
        ConcurrentReads reads = new ConcurrentReads();
        List<TestSource> sources = new ArrayList<>();
        for (int region = 0; region < 5; region++) {
            TestSource source = held(region).countedBy(reads);
            sources.add(source);
            executor.submit(job(new ReplicaKey(VERSION, "region-" + region, 0), source));
        }

        await().until(() -> opens(sources) == 2 && pending(VERSION) == 3);

        gate.countDown();
        await().until(() -> statesOf(VERSION).stream().allMatch(Completed.class::isInstance));
        assertThat(opens(sources)).isEqualTo(5);
        assertThat(reads.most()).as("copies running at once").isEqualTo(2);
    }

    @Test
    void noMoreCopiesRunInARegionThanItsLimit() throws Exception {
        start(new ReplicationSettings(4, 1, 4, 1, Duration.ZERO, Duration.ZERO));
        ConcurrentReads westReads = new ConcurrentReads();
        List<TestSource> west =
                List.of(held(1).countedBy(westReads), held(2).countedBy(westReads), held(3).countedBy(westReads));
        TestSource east = held(4);
        for (int index = 0; index < west.size(); index++) {
            executor.submit(job(new ReplicaKey(VERSION, "west", index), west.get(index)));
        }
        executor.submit(job(new ReplicaKey(VERSION, "east", 0), east));

        await().until(() -> east.opens() == 1 && opens(west) == 1 && pending(VERSION) == 2);

        gate.countDown();
        await().until(() -> statesOf(VERSION).stream().allMatch(Completed.class::isInstance));
        assertThat(opens(west)).isEqualTo(3);
        assertThat(westReads.most()).as("copies running at once in west").isEqualTo(1);
    }

    @Test
    void aNamespaceThatQueuedManyCopiesFirstNeitherHoldsEverySlotNorKeepsAnotherWaiting() throws Exception {
        start(new ReplicationSettings(3, 3, 2, 1, Duration.ZERO, Duration.ZERO));
        VersionKey other = new VersionKey("team-b", "main", "ubuntu", "1.2.0");
        ConcurrentReads teamAReads = new ConcurrentReads();
        List<TestSource> teamA = new ArrayList<>();
        for (int region = 0; region < 6; region++) {
            TestSource source = held(region).countedBy(teamAReads);
            teamA.add(source);
            executor.submit(job(new ReplicaKey(VERSION, "region-" + region, 0), source));
        }
        TestSource teamB = held(10);
        executor.submit(job(new ReplicaKey(other, "region-0", 0), teamB));

        // team-a's copies past 2 of the 3 slots wait.
        await().until(() -> teamB.opens() == 1 && opens(teamA) == 2 && pending(VERSION) == 4);

        gate.countDown();
        await().until(() -> statesOf(VERSION).stream().allMatch(Completed.class::isInstance));
        assertThat(teamAReads.most()).as("team-a's copies running at once").isEqualTo(2);
    }

    @Test
    void aReplicaMovedToAnotherStoreIsCopiedThereAndDeletingTheOldCopyLeavesTheNewOne(
            @org.junit.jupiter.api.io.TempDir Path stores) throws Exception {
        start(new ReplicationSettings(2, 2, 2, 1, Duration.ZERO, Duration.ZERO));
        gate.countDown();
        ReplicaKey key = new ReplicaKey(VERSION, "west", 0);
        TestSource source = TestSource.random(SIZE, 1);
        FileObjectStore first = new FileObjectStore(java.nio.file.Files.createDirectories(stores.resolve("first")));
        FileObjectStore second = new FileObjectStore(java.nio.file.Files.createDirectories(stores.resolve("second")));
        executor.submit(new CopyJob(key, source, source.sha256(), (long) SIZE, first));
        await().until(() -> executor.state(key).orElseThrow() instanceof Completed);

        assertThat(executor.submit(new CopyJob(key, source, source.sha256(), (long) SIZE, second)))
                .isInstanceOf(Pending.class);
        await().until(() -> executor.state(key).orElseThrow() instanceof Completed);
        executor.cancel(key, first.endpoint()).get();

        assertThat(executor.state(key)).contains(new Completed(key.objectPath()));
        assertThat(second.verify(key, source.sha256(), SIZE)).isTrue();
    }

    @Test
    void submittingAKnownReplicaAgainChangesNothing() throws Exception {
        start(new ReplicationSettings(2, 2, 2, 1, Duration.ZERO, Duration.ZERO));
        ReplicaKey key = new ReplicaKey(VERSION, "west", 0);
        TestSource source = held(1);

        assertThat(executor.submit(job(key, source))).isEqualTo(Pending.FRESH);
        await().until(() -> source.opens() == 1);
        assertThat(executor.submit(job(key, source))).isInstanceOf(Copying.class);
        gate.countDown();
        await().until(() -> executor.state(key).orElseThrow() instanceof Completed);
        // Queued again, it would be Pending; a completed replica stays as it is.
        assertThat(executor.submit(job(key, source))).isEqualTo(new Completed(key.objectPath()));
        assertThat(source.opens()).isEqualTo(1);
    }

    @Test
    void aFailingCopyIsRetriedWithGrowingBackoffThenFailed() {
        start(new ReplicationSettings(2, 2, 2, 3, Duration.ofMillis(100), Duration.ofSeconds(1)));
        ReplicaKey key = new ReplicaKey(VERSION, "west", 0);
        TestSource failing = TestSource.random(SIZE, 1).refusingFirstOpens(Integer.MAX_VALUE);

        executor.submit(job(key, failing));

        await().atMost(5, TimeUnit.SECONDS).until(() -> executor.state(key).orElseThrow() instanceof Failed);
        assertThat(executor.state(key))
                .contains(new Failed(FailureReason.SourceUnreachable, "test source refused to open", 3));
        List<Long> attemptTimes = failing.openMillis();
        assertThat(attemptTimes).hasSize(3);
        assertThat(attemptTimes.get(1) - attemptTimes.get(0)).isGreaterThanOrEqualTo(100);
        assertThat(attemptTimes.get(2) - attemptTimes.get(1)).isGreaterThanOrEqualTo(200);
        assertThat(events)
                .contains(
                        key
                                + " Pending[failedAttempts=1, lastReason=SourceUnreachable, lastError=test source refused to open]",
                        key
                                + " Pending[failedAttempts=2, lastReason=SourceUnreachable, lastError=test source refused to open]");
    }

    @Test
    void aCopyThatSucceedsOnRetryCompletes() throws IOException {
        start(new ReplicationSettings(2, 2, 2, 3, Duration.ofMillis(10), Duration.ofMillis(10)));
        ReplicaKey key = new ReplicaKey(VERSION, "west", 0);
        TestSource source = TestSource.random(SIZE, 1).refusingFirstOpens(2);

        executor.submit(job(key, source));

        await().until(() -> executor.state(key).orElseThrow() instanceof Completed);
        assertThat(source.opens()).isEqualTo(3);
        assertThat(store("west").verify(key, source.sha256(), SIZE)).isTrue();
    }

    @Test
    void aFailedReplicaIsRetriedOnlyAfterAReset() {
        start(new ReplicationSettings(2, 2, 2, 1, Duration.ZERO, Duration.ZERO));
        ReplicaKey key = new ReplicaKey(VERSION, "west", 0);
        TestSource source = TestSource.random(SIZE, 1).refusingFirstOpens(1);
        executor.submit(job(key, source));
        await().until(() -> executor.state(key).orElseThrow() instanceof Failed);
        assertThat(executor.submit(job(key, source))).isInstanceOf(Failed.class);

        assertThat(executor.reset(key)).isTrue();

        await().until(() -> executor.state(key).orElseThrow() instanceof Completed);
        assertThat(source.opens()).isEqualTo(2);
        assertThat(executor.reset(key)).as("a Completed replica is not reset").isFalse();
    }

    @Test
    void resetWhereQueuesAgainOnlyTheFailedReplicasItsTestPicks() {
        start(new ReplicationSettings(2, 2, 2, 1, Duration.ZERO, Duration.ZERO));
        ReplicaKey sourceFailed = new ReplicaKey(VERSION, "west", 0);
        ReplicaKey storeFailed = new ReplicaKey(VERSION, "west", 1);
        TestSource refusing = TestSource.random(SIZE, 1).refusingFirstOpens(1);
        TestSource source = TestSource.random(SIZE, 2);
        ObjectStore refusedOnce = new RefusingOnce(store("west"));
        executor.submit(job(sourceFailed, refusing));
        executor.submit(new CopyJob(storeFailed, source, source.sha256(), (long) SIZE, refusedOnce));
        await().until(() -> statesOf(VERSION).stream().allMatch(Failed.class::isInstance));

        List<ReplicaKey> reset = executor.resetWhere(failed -> failed.reason() == FailureReason.AuthenticationFailed);

        assertThat(reset).containsExactly(storeFailed);
        await().until(() -> executor.state(storeFailed).orElseThrow() instanceof Completed);
        assertThat(executor.state(sourceFailed).orElseThrow()).isInstanceOf(Failed.class);
        assertThat(refusing.opens()).isEqualTo(1);
    }

    /** A store whose first write is refused for its credentials, as before a Secret's rotation. */
    private static final class RefusingOnce implements ObjectStore {
        private final ObjectStore store;
        private boolean refused;

        RefusingOnce(ObjectStore store) {
            this.store = store;
        }

        @Override
        public java.net.URI endpoint() {
            return store.endpoint();
        }

        @Override
        public StagedObject stage(ReplicaKey key, Attempt attempt, java.io.InputStream content, long size)
                throws IOException {
            if (!refused) {
                refused = true;
                throw new StoreUnavailableException(FailureReason.AuthenticationFailed, "access key refused", null);
            }
            return store.stage(key, attempt, content, size);
        }

        @Override
        public boolean verify(ReplicaKey key, String sha256, long size) throws StoreUnavailableException {
            return store.verify(key, sha256, size);
        }

        @Override
        public ImageSource replica(ReplicaKey key, long size) throws StoreUnavailableException {
            return store.replica(key, size);
        }

        @Override
        public void delete(ReplicaKey key) throws StoreUnavailableException {
            store.delete(key);
        }

        @Override
        public void probe() throws StoreUnavailableException {
            store.probe();
        }
    }

    @Test
    void cancellingAVersionStopsItsCopiesLeavesNothingAndSparesOtherVersions() throws Exception {
        start(new ReplicationSettings(4, 4, 4, 1, Duration.ZERO, Duration.ZERO));
        ReplicaKey running = new ReplicaKey(VERSION, "west", 0);
        CountDownLatch halfway = new CountDownLatch(1);
        // Held halfway, so that the cancel finds a staged half copy to clean up.
        executor.submit(job(running, TestSource.random(4 * SIZE, 1).stallingAt(2 * SIZE, halfway)));
        assertThat(halfway.await(10, TimeUnit.SECONDS)).isTrue();
        // The source is read ahead on its own thread, so the store may open its staging file a little later.
        await().until(() ->
                StoredFiles.under(storeRoot).equals(List.of("west/" + running.objectPath() + ".test-1.partial")));
        ReplicaKey other = new ReplicaKey(OTHER_VERSION, "west", 0);
        TestSource otherSource = TestSource.random(SIZE, 2);

        executor.cancelVersion(VERSION).get(10, TimeUnit.SECONDS);
        executor.submit(job(other, otherSource));

        assertThat(statesOf(VERSION)).isEmpty();
        await().until(() -> executor.state(other).orElseThrow() instanceof Completed);
        assertThat(StoredFiles.under(storeRoot))
                .containsExactly("west/" + other.objectPath(), "west/" + other.objectPath() + ".sha256");
    }

    @Test
    void theListenerHearsProgressThenCompletion() {
        start(new ReplicationSettings(1, 1, 1, 1, Duration.ZERO, Duration.ZERO));
        ReplicaKey key = new ReplicaKey(VERSION, "west", 0);

        executor.submit(job(key, TestSource.random(SIZE, 1)));

        await().until(() -> events.contains(key + " Completed[location=" + key.objectPath() + "]"));
        assertThat(events)
                .startsWith(
                        key + " Pending[failedAttempts=0, lastReason=null, lastError=null]",
                        key + " Copying[bytesCopied=0, totalBytes=" + SIZE + "]");
        assertThat(events)
                .endsWith(
                        key + " Copying[bytesCopied=" + SIZE + ", totalBytes=" + SIZE + "]",
                        key + " Completed[location=" + key.objectPath() + "]");
    }

    private long pending(VersionKey version) {
        return statesOf(version).stream().filter(Pending.class::isInstance).count();
    }

    private void start(ReplicationSettings settings) {
        executor = new CopyExecutor(
                settings,
                new VerifiedCopier(new NoMetrics(), Duration.ofMillis(10), WriteFence.open("test")),
                (key, state) -> events.add(key + " " + state));
    }

    private TestSource held(long seed) {
        return TestSource.random(SIZE, seed).heldBy(gate);
    }

    private CopyJob job(ReplicaKey key, TestSource source) {
        submitted.add(key);
        return new CopyJob(key, source, source.sha256(), (long) source.size(), store(key.region()));
    }

    /** The store of a region: each region has its own, as the object layout assumes. */
    private ObjectStore store(String region) {
        try {
            return new FileObjectStore(Files.createDirectories(storeRoot.resolve(region)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The states the executor knows of the version's replicas this test submitted. */
    private List<CopyState> statesOf(VersionKey version) {
        return submitted.stream()
                .filter(key -> key.version().equals(version))
                .distinct()
                .flatMap(key -> executor.state(key).stream())
                .toList();
    }

    private static int opens(List<TestSource> sources) {
        return sources.stream().mapToInt(TestSource::opens).sum();
    }
}
