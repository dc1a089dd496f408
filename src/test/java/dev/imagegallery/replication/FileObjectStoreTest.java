package dev.imagegallery.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.imagegallery.testing.StoredFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileObjectStoreTest {
    private static final ReplicaKey KEY =
            new ReplicaKey(new VersionKey("team-a", "main", "ubuntu", "1.2.0"), "westeurope", 0);
    private static final String PATH = KEY.objectPath();
    private static final byte[] CONTENT = "image bytes".getBytes();
    private static final String SHA256 = TestSource.sha256(CONTENT);
    private static final Attempt ATTEMPT = new Attempt(SHA256, WriteFence.open("test"), 1);

    @TempDir
    Path root;

    @Test
    void aStagedObjectIsInvisibleUntilCommitted() throws IOException {
        ObjectStore store = new FileObjectStore(root);

        try (ObjectStore.StagedObject staged =
                store.stage(KEY, ATTEMPT, new ByteArrayInputStream(CONTENT), CONTENT.length)) {
            assertThat(StoredFiles.under(root)).containsExactly(PATH + ".test-1.partial");
            assertThat(store.verify(KEY, SHA256, CONTENT.length)).isFalse();
            staged.commit();
        }

        assertThat(StoredFiles.under(root)).containsExactly(PATH, PATH + ".sha256");
        assertThat(store.verify(KEY, SHA256, CONTENT.length)).isTrue();
    }

    @Test
    void theListingHoldsEveryFileBelowTheRootWithItsSize() throws IOException {
        ObjectStore store = committed();
        Files.writeString(root.resolve("notes.txt"), "by hand");

        assertThat(store.list().orElseThrow())
                .extracting(ObjectStore.StoredObject::path, ObjectStore.StoredObject::sizeBytes)
                .containsExactlyInAnyOrder(
                        tuple(PATH, (long) CONTENT.length),
                        tuple(PATH + ".sha256", Files.size(root.resolve(PATH + ".sha256"))),
                        tuple("notes.txt", 7L));
    }

    @Test
    void closingWithoutCommitDiscardsTheStagedCopy() throws IOException {
        ObjectStore store = new FileObjectStore(root);

        store.stage(KEY, ATTEMPT, new ByteArrayInputStream(CONTENT), CONTENT.length)
                .close();

        assertThat(StoredFiles.under(root)).isEmpty();
    }

    @Test
    void verifyWantsTheMarkerToHoldTheDigestAndTheObjectToHaveTheSize() throws IOException {
        ObjectStore store = committed();

        assertThat(store.verify(KEY, "0".repeat(64), CONTENT.length)).isFalse();
        assertThat(store.verify(KEY, SHA256, CONTENT.length + 1)).isFalse();
        Files.delete(root.resolve(PATH + ".sha256"));
        assertThat(store.verify(KEY, SHA256, CONTENT.length)).isFalse();
    }

    @Test
    void deleteRemovesObjectMarkerAndLeftoversAndMayBeRepeated() throws IOException {
        ObjectStore store = committed();
        // What crashed copies would have left: an earlier leader's, and a marker's.
        Files.writeString(root.resolve(PATH + ".old-leader_2f1c-7.partial"), "half");
        Files.writeString(root.resolve(PATH + ".sha256.partial"), "half");

        store.delete(KEY);
        store.delete(KEY);

        assertThat(StoredFiles.under(root)).isEmpty();
        assertThatNoException()
                .isThrownBy(() -> store.delete(
                        new ReplicaKey(new VersionKey("team-b", "never", "written", "1.0.0"), "westeurope", 3)));
    }

    @Test
    void aNewAttemptRemovesWhatAnOldLeaderStagedAndItsLateWritesNeverReachTheReplica() throws IOException {
        Path oldStaging =
                Files.createDirectories(root.resolve(PATH).getParent()).resolve("0.old-leader-3.partial");
        ObjectStore store = new FileObjectStore(root);

        // The old leader, paused with its staging file open, wakes up during the new leader's copy and writes on.
        try (FileChannel oldLeader =
                        FileChannel.open(oldStaging, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                ObjectStore.StagedObject staged =
                        store.stage(KEY, ATTEMPT, new ByteArrayInputStream(CONTENT), CONTENT.length)) {
            oldLeader.write(ByteBuffer.wrap("late bytes of the old leader".getBytes()));
            assertThat(StoredFiles.under(root)).containsExactly(PATH + ".test-1.partial");
            staged.commit();
        }

        assertThat(Files.readAllBytes(root.resolve(PATH))).isEqualTo(CONTENT);
        assertThat(StoredFiles.under(root)).containsExactly(PATH, PATH + ".sha256");
    }

    @Test
    void anAttemptTakesOverTheLongestPrefixEarlierAttemptsStagedUnderItsOwnNameAndStagesTheRestAfterIt()
            throws IOException {
        Path directory = Files.createDirectories(root.resolve(PATH).getParent());
        Files.write(directory.resolve("0.killed-leader-3.partial"), Arrays.copyOf(CONTENT, 5));
        Files.write(directory.resolve("0.earlier-leader-9.partial"), Arrays.copyOf(CONTENT, 3));
        ObjectStore store = new FileObjectStore(root);

        StagedPrefix prefix;
        // The killed leader's file is copied, not renamed: were it only paused, its late writes would land in it.
        try (FileChannel lateWriter =
                FileChannel.open(directory.resolve("0.killed-leader-3.partial"), StandardOpenOption.APPEND)) {
            prefix = store.takeOver(KEY, ATTEMPT);
            lateWriter.write(ByteBuffer.wrap("late".getBytes()));
        }

        assertThat(prefix.length()).isEqualTo(5);
        assertThat(HexFormat.of().formatHex(prefix.digest().digest()))
                .isEqualTo(TestSource.sha256(Arrays.copyOf(CONTENT, 5)));
        assertThat(StoredFiles.under(root)).containsExactly(PATH + ".test-1.partial");
        try (ObjectStore.StagedObject staged = store.stage(
                KEY,
                ATTEMPT.from(5),
                new ByteArrayInputStream(Arrays.copyOfRange(CONTENT, 5, CONTENT.length)),
                CONTENT.length)) {
            staged.commit();
        }
        assertThat(Files.readAllBytes(root.resolve(PATH))).isEqualTo(CONTENT);
        assertThat(StoredFiles.under(root)).containsExactly(PATH, PATH + ".sha256");
    }

    @Test
    void bytesChangedInTheStoreAfterTheyWereVerifiedAreNeverCommitted() throws IOException {
        ObjectStore store = new FileObjectStore(root);

        try (ObjectStore.StagedObject staged =
                store.stage(KEY, ATTEMPT, new ByteArrayInputStream(CONTENT), CONTENT.length)) {
            // What a second writer into the same file, or the disk, could do between the write and the commit.
            Files.writeString(root.resolve(PATH + ".test-1.partial"), "image bytez");
            assertThatThrownBy(staged::commit)
                    .isInstanceOf(DigestMismatchException.class)
                    .hasMessage("the staged copy of " + PATH + " in the store does not have the SHA-256 " + SHA256);
        }

        assertThat(StoredFiles.under(root)).isEmpty();
    }

    @Test
    void aWriterThatNoLongerHoldsTheLeaseCommitsNothingAndLeavesAnEarlierReplicaAsItWas() throws IOException {
        ObjectStore store = committed();
        byte[] marker = Files.readAllBytes(root.resolve(PATH + ".sha256"));
        WriteFence lost = new WriteFence() {
            @Override
            public String writer() {
                return "old-leader";
            }

            @Override
            public void check() throws FencedException {
                throw new FencedException("old-leader no longer holds the Lease");
            }
        };

        try (ObjectStore.StagedObject staged =
                store.stage(KEY, new Attempt(SHA256, lost, 1), new ByteArrayInputStream(CONTENT), CONTENT.length)) {
            assertThatThrownBy(staged::commit).isInstanceOf(FencedException.class);
        }

        assertThat(StoredFiles.under(root)).containsExactly(PATH, PATH + ".sha256");
        assertThat(Files.readAllBytes(root.resolve(PATH + ".sha256"))).isEqualTo(marker);
        assertThat(Files.readString(root.resolve(PATH + ".sha256"))).contains("verified-by: test\n");
    }

    @Test
    void aReplicaIsReadBackAsTheSourceOfACopyToAnotherStore() throws IOException {
        ObjectStore store = committed();
        ObjectStore other = new FileObjectStore(Files.createDirectories(root.resolve("other")));
        ReplicaKey copy = new ReplicaKey(KEY.version(), "northeurope", 0);

        ImageSource replica = store.replica(KEY, CONTENT.length);

        assertThat(replica.uri()).isEqualTo(root.resolve(PATH).toUri());
        assertThat(replica.probeSize()).isEqualTo(CONTENT.length);
        try (InputStream in = replica.open()) {
            assertThat(in.readAllBytes()).isEqualTo(CONTENT);
        }
        new VerifiedCopier(new NoMetrics(), Duration.ofMillis(100), WriteFence.open("test"))
                .replicate(new CopyJob(copy, replica, SHA256, (long) CONTENT.length, other), (copied, total) -> {});
        assertThat(other.verify(copy, SHA256, CONTENT.length)).isTrue();
        assertThat(TestSource.sha256(other.replica(copy, CONTENT.length))).isEqualTo(SHA256);
    }

    @Test
    void aMissingReplicaOrOneOfAnotherSizeIsAClearStoreFailure() throws IOException {
        ObjectStore store = committed();
        ReplicaKey missing = new ReplicaKey(KEY.version(), "westeurope", 1);

        assertThatThrownBy(() -> store.replica(missing, CONTENT.length))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessage("replica westeurope:team-a/main/ubuntu/1.2.0/1 is not in store " + root.toUri());
        assertThatThrownBy(() -> store.replica(KEY, CONTENT.length + 1))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("replica westeurope:team-a/main/ubuntu/1.2.0/0 in store " + root.toUri()
                        + " has 11 bytes, not the 12 expected");
        ImageSource deletedMeanwhile = store.replica(KEY, CONTENT.length);
        store.delete(KEY);
        assertThatThrownBy(deletedMeanwhile::open)
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessage("replica westeurope:team-a/main/ubuntu/1.2.0/0 is not in store " + root.toUri());
    }

    @Test
    void aFileStoreHasNoMovingTagAndLocatesAReplicaByItsObjectPath() throws IOException {
        ObjectStore store = committed();

        store.moveLatest(
                KEY.version().definitionKey(), Optional.of(new ObjectStore.LatestImage(KEY, SHA256, CONTENT.length)));
        store.moveLatest(KEY.version().definitionKey(), Optional.empty());

        assertThat(StoredFiles.under(root)).containsExactly(PATH, PATH + ".sha256");
        assertThat(store.location(KEY)).isEqualTo(PATH);
    }

    @Test
    void aMissingRootIsUnavailableAndNotCreated() {
        Path unmounted = root.resolve("unmounted");
        ObjectStore store = AnonymousStores.at(unmounted.toUri().toString());

        assertThatThrownBy(store::probe)
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("not an existing directory");
        assertThatThrownBy(() -> store.stage(KEY, ATTEMPT, new ByteArrayInputStream(CONTENT), CONTENT.length))
                .isInstanceOf(StoreUnavailableException.class);
        assertThat(unmounted).doesNotExist();
    }

    @Test
    void anExistingRootAnswersTheProbe() {
        assertThatNoException().isThrownBy(new FileObjectStore(root)::probe);
    }

    private ObjectStore committed() throws IOException {
        ObjectStore store = new FileObjectStore(root);
        try (ObjectStore.StagedObject staged =
                store.stage(KEY, ATTEMPT, new ByteArrayInputStream(CONTENT), CONTENT.length)) {
            staged.commit();
        }
        return store;
    }
}
