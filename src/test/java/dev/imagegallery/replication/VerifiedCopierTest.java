package dev.imagegallery.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegallery.testing.StoredFiles;
import dev.imagegallery.testing.TestSources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifiedCopierTest {
    private static final ReplicaKey KEY =
            new ReplicaKey(new VersionKey("team-a", "main", "ubuntu", "1.2.0"), "westeurope", 0);
    private static final int SIZE = 3 * 1024 * 1024 + 17;

    @TempDir
    Path storeRoot;

    private ObjectStore store;
    private final RecordingMetrics metrics = new RecordingMetrics();
    private final VerifiedCopier copier = new VerifiedCopier(metrics, Duration.ofMillis(100), WriteFence.open("test"));
    private final List<Long> progress = new ArrayList<>();

    @BeforeEach
    void setUp() {
        store = new FileObjectStore(storeRoot);
    }

    @Test
    void copiesVerifiesAndMarksTheObject() throws IOException {
        TestSource source = TestSource.random(SIZE, 1);

        copier.replicate(job(source, source.sha256()), (copied, total) -> progress.add(copied));

        Path object = storeRoot.resolve("team-a/main/ubuntu/1.2.0/0");
        assertThat(Files.readAllBytes(object)).isEqualTo(source.content());
        assertThat(Files.readAllLines(storeRoot.resolve("team-a/main/ubuntu/1.2.0/0.sha256")))
                .as("the marker: digest, who verified it, when")
                .hasSize(3)
                .startsWith(source.sha256(), "verified-by: test")
                .last()
                .satisfies(line -> assertThat(Instant.parse(line.substring("verified-at: ".length())))
                        .isBetween(Instant.now().minusSeconds(60), Instant.now()));
        assertThat(StoredFiles.under(storeRoot))
                .containsExactly("team-a/main/ubuntu/1.2.0/0", "team-a/main/ubuntu/1.2.0/0.sha256");
        assertThat(store.verify(KEY, source.sha256(), SIZE)).isTrue();
        assertThat(progress).first().isEqualTo(0L);
        assertThat(progress).last().isEqualTo((long) SIZE);
        assertThat(metrics.bytes).hasValue(SIZE);
        assertThat(metrics.durations).hasSize(1);
    }

    @Test
    void aWriterThatLostTheLeaseMidCopyStopsWritingCommitsNothingAndReportsNoFailure() throws IOException {
        TestSource source = TestSource.random(SIZE, 5);
        AtomicInteger checks = new AtomicInteger();
        // Holds the Lease for the first megabyte, then finds another holder (it was paused past its Lease).
        WriteFence lostAfterFirstRead = new WriteFence() {
            @Override
            public String writer() {
                return "old-leader";
            }

            @Override
            public void check() throws FencedException {
                if (checks.incrementAndGet() > 1) {
                    throw new FencedException("old-leader no longer holds the Lease: new-leader does");
                }
            }
        };
        Path staging = storeRoot.resolve("team-a/main/ubuntu/1.2.0/0.old-leader-1.partial");
        List<Long> stagedSizes = new ArrayList<>();

        assertThatThrownBy(() -> new VerifiedCopier(metrics, Duration.ofMillis(1), lostAfterFirstRead)
                        .replicate(job(source, source.sha256()), (copied, total) -> {
                            try {
                                stagedSizes.add(Files.exists(staging) ? Files.size(staging) : 0);
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        }))
                .isInstanceOf(FencedException.class)
                .hasMessage("old-leader no longer holds the Lease: new-leader does");
        assertThat(stagedSizes).as("bytes staged as the copy went").allMatch(size -> size <= 1 << 20);
        assertThat(StoredFiles.under(storeRoot)).as("what the store holds").isEmpty();
        assertThat(metrics.failures)
                .as("a fenced copy is no failure of the store or the source")
                .isEmpty();
    }

    @Test
    void aCopyBrokenOffMidwayGoesOnFromWhatItStagedAndReadsOnlyTheRestFromTheSource() throws IOException {
        TestSource source = TestSource.random(SIZE, 6).ranged();
        // What a killed leader left: the first 2 MiB, staged under its own attempt's name.
        Path staged = Files.createDirectories(storeRoot.resolve("team-a/main/ubuntu/1.2.0"))
                .resolve("0.killed-leader-4.partial");
        Files.write(staged, Arrays.copyOf(source.content(), 2 << 20));

        copier.replicate(job(source, source.sha256()), (copied, total) -> progress.add(copied));

        assertThat(Files.readAllBytes(storeRoot.resolve("team-a/main/ubuntu/1.2.0/0")))
                .isEqualTo(source.content());
        assertThat(source.bytesServed()).as("bytes read from the source").isEqualTo(SIZE - (2 << 20));
        assertThat(progress).as("progress, the staged bytes included").first().isEqualTo(2L << 20);
        assertThat(metrics.bytes).as("bytes copied by this copy").hasValue(SIZE - (2 << 20));
        assertThat(StoredFiles.under(storeRoot))
                .containsExactly("team-a/main/ubuntu/1.2.0/0", "team-a/main/ubuntu/1.2.0/0.sha256");
    }

    @Test
    void aCopyStagedWholeBeforeItWasBrokenOffIsCommittedWithoutAskingTheSourceForAnything() throws IOException {
        TestSource source = TestSource.random(SIZE, 9).ranged();
        // A leader stopped after its last byte and before its commit; a Range from the end would be refused (416).
        Path staged = Files.createDirectories(storeRoot.resolve("team-a/main/ubuntu/1.2.0"))
                .resolve("0.killed-leader-4.partial");
        Files.write(staged, source.content());

        copier.replicate(job(source, source.sha256()), (copied, total) -> {});

        assertThat(store.verify(KEY, source.sha256(), SIZE)).isTrue();
        assertThat(source.opens()).as("requests to the source").isZero();
        assertThat(StoredFiles.under(storeRoot))
                .containsExactly("team-a/main/ubuntu/1.2.0/0", "team-a/main/ubuntu/1.2.0/0.sha256");
    }

    @Test
    void aSourceThatCannotStartMidwayIsCopiedFromTheStartAndWhatWasStagedIsDropped() throws IOException {
        TestSource source = TestSource.random(SIZE, 7);
        Path staged = Files.createDirectories(storeRoot.resolve("team-a/main/ubuntu/1.2.0"))
                .resolve("0.killed-leader-4.partial");
        Files.write(staged, Arrays.copyOf(source.content(), 2 << 20));

        copier.replicate(job(source, source.sha256()), (copied, total) -> {});

        assertThat(source.bytesServed()).isEqualTo(SIZE);
        assertThat(store.verify(KEY, source.sha256(), SIZE)).isTrue();
        assertThat(StoredFiles.under(storeRoot))
                .containsExactly("team-a/main/ubuntu/1.2.0/0", "team-a/main/ubuntu/1.2.0/0.sha256");
    }

    @Test
    void aStagedPrefixOfOtherBytesIsDroppedAndTheReplicaCopiedFromTheStart() throws IOException {
        TestSource source = TestSource.random(SIZE, 8).ranged();
        // Staged for a version deleted since and made again under the same name, from another image.
        Path staged = Files.createDirectories(storeRoot.resolve("team-a/main/ubuntu/1.2.0"))
                .resolve("0.killed-leader-4.partial");
        Files.write(staged, new byte[2 << 20]);

        copier.replicate(job(source, source.sha256()), (copied, total) -> {});

        assertThat(store.verify(KEY, source.sha256(), SIZE)).isTrue();
        assertThat(Files.readAllBytes(storeRoot.resolve("team-a/main/ubuntu/1.2.0/0")))
                .isEqualTo(source.content());
        assertThat(source.bytesServed())
                .as("the rest after the prefix, then every byte")
                .isEqualTo(SIZE - (2 << 20) + SIZE);
        assertThat(StoredFiles.under(storeRoot))
                .containsExactly("team-a/main/ubuntu/1.2.0/0", "team-a/main/ubuntu/1.2.0/0.sha256");
    }

    @Test
    void aCompletedReplicaIsVerifiedAfterARestartWithoutCopyingAgain() throws IOException {
        TestSource source = TestSource.random(SIZE, 2);
        copier.replicate(job(source, source.sha256()), (copied, total) -> {});

        // A new process: new store and copier objects, only the directory is the same.
        RecordingMetrics metricsAfterRestart = new RecordingMetrics();
        new VerifiedCopier(metricsAfterRestart, Duration.ofMillis(100), WriteFence.open("test"))
                .replicate(
                        new CopyJob(KEY, source, source.sha256(), (long) SIZE, new FileObjectStore(storeRoot)),
                        (copied, total) -> {});

        assertThat(source.opens()).isEqualTo(1);
        assertThat(metricsAfterRestart.alreadyPresent).hasValue(1);
    }

    @Test
    void aDigestMismatchNamesTheExpectedDigestOnlyAndLeavesNothing() throws IOException {
        TestSource source = TestSource.random(SIZE, 3);
        String expected = "0".repeat(64);

        assertThatThrownBy(() -> copier.replicate(job(source, expected), (copied, total) -> {}))
                .isInstanceOf(DigestMismatchException.class)
                .hasMessageContaining("expected sha256 " + expected)
                .message()
                .doesNotContain(source.sha256());
        assertThat(storedFiles()).isEmpty();
        assertThat(metrics.failures).containsExactly(FailureReason.DigestMismatch);
    }

    @Test
    void aSourceBreakingOffMidCopyLeavesNothing() throws IOException {
        TestSource source = TestSource.random(SIZE, 4).breakingAfter(SIZE / 2);

        assertThatThrownBy(() -> copier.replicate(job(source, source.sha256()), (copied, total) -> {}))
                .isInstanceOf(SourceUnreachableException.class)
                .hasMessageContaining("broke off")
                .message()
                .doesNotContain(String.valueOf(SIZE / 2), "connection reset by test");
        assertThat(storedFiles()).isEmpty();
    }

    @Test
    void aSourceShorterThanExpectedIsAMismatchThatDoesNotTellItsLength() throws IOException {
        TestSource source = TestSource.random(SIZE, 5);

        assertThatThrownBy(() -> copier.replicate(
                        new CopyJob(KEY, source, source.sha256(), SIZE + 1L, store), (copied, total) -> {}))
                .isInstanceOf(DigestMismatchException.class)
                .hasMessageContaining("ended before the expected " + (SIZE + 1) + " bytes")
                .message()
                .doesNotContain(String.valueOf(SIZE) + " ");
        assertThat(storedFiles()).isEmpty();
    }

    @Test
    void aSourceLongerThanExpectedIsAMismatch() throws IOException {
        TestSource source = TestSource.random(SIZE, 6);

        assertThatThrownBy(() -> copier.replicate(
                        new CopyJob(KEY, source, source.sha256(), SIZE - 1L, store), (copied, total) -> {}))
                .isInstanceOf(DigestMismatchException.class)
                .hasMessageContaining("more than the expected " + (SIZE - 1) + " bytes");
        assertThat(storedFiles()).isEmpty();
    }

    @Test
    void aMissingSourceFileIsUnreachable() {
        ImageSource missing = TestSources.access()
                .source(storeRoot.resolve("nothing-here.img").toUri().toString());

        assertThatThrownBy(() ->
                        copier.replicate(new CopyJob(KEY, missing, "0".repeat(64), null, store), (copied, total) -> {}))
                .isInstanceOf(SourceUnreachableException.class)
                .hasMessageContaining("nothing-here.img does not exist");
    }

    @Test
    void theSizeIsProbedFromAFileSourceWhenNotDeclared(@TempDir Path sources) throws IOException {
        TestSource content = TestSource.random(SIZE, 7);
        Path file = Files.write(sources.resolve("image.raw"), content.content());

        copier.replicate(
                new CopyJob(KEY, TestSources.access().source(file.toUri().toString()), content.sha256(), null, store),
                (copied, total) -> {});

        assertThat(store.verify(KEY, content.sha256(), SIZE)).isTrue();
    }

    @Test
    void progressIsReportedAtMostOncePerIntervalAndAtTheEnd() throws IOException {
        // Each look at the clock takes 7 ms, so time passes with reads and never with the wall clock.
        AtomicLong millis = new AtomicLong();
        InstantSource clock = () -> Instant.ofEpochMilli(millis.addAndGet(7));
        int size = 16 * 1024 * 1024 + 17;
        TestSource source = TestSource.random(size, 8);
        List<Long> reportedAt = new ArrayList<>();

        new VerifiedCopier(metrics, Duration.ofMillis(20), WriteFence.open("test"), clock)
                .replicate(new CopyJob(KEY, source, source.sha256(), (long) size, store), (copied, total) -> {
                    progress.add(copied);
                    reportedAt.add(millis.get());
                });

        // The store reads in chunks of 1 MiB; the last partial one makes 17 reads.
        assertThat(progress).hasSizeBetween(3, 17 / 2);
        assertThat(progress).isSorted().last().isEqualTo((long) size);
        for (int i = 1; i < reportedAt.size() - 1; i++) {
            assertThat(reportedAt.get(i) - reportedAt.get(i - 1)).isGreaterThanOrEqualTo(20);
        }
        assertThat(metrics.bytes).hasValue(size);
    }

    private CopyJob job(TestSource source, String sha256) {
        return new CopyJob(KEY, source, sha256, (long) SIZE, store);
    }

    private List<String> storedFiles() throws IOException {
        return StoredFiles.under(storeRoot);
    }

    /** Metrics that remember what they were told. */
    static final class RecordingMetrics implements ReplicationMetrics {
        final AtomicLong bytes = new AtomicLong();
        final List<Duration> durations = new ArrayList<>();
        final List<FailureReason> failures = new ArrayList<>();
        final AtomicLong alreadyPresent = new AtomicLong();

        @Override
        public void bytesCopied(String region, long n) {
            bytes.addAndGet(n);
        }

        @Override
        public synchronized void copyDuration(String region, Duration duration) {
            durations.add(duration);
        }

        @Override
        public synchronized void copyFailed(String region, FailureReason reason) {
            failures.add(reason);
        }

        @Override
        public void replicaAlreadyPresent(String region) {
            alreadyPresent.incrementAndGet();
        }
    }
}
