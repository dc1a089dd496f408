package dev.imagegallery.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegallery.testing.StoredFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileObjectStoreTest {
    private static final ReplicaKey KEY =
            new ReplicaKey(new VersionKey("team-a", "main", "ubuntu", "1.2.0"), "westeurope", 0);
    private static final String PATH = KEY.objectPath();
    private static final byte[] CONTENT = "image bytes".getBytes();
    private static final String SHA256 = TestSource.sha256(CONTENT);

    @TempDir
    Path root;

    @Test
    void aStagedObjectIsInvisibleUntilCommitted() throws IOException {
        ObjectStore store = new FileObjectStore(root);

        try (ObjectStore.StagedObject staged =
                store.stage(KEY, SHA256, new ByteArrayInputStream(CONTENT), CONTENT.length)) {
            assertThat(StoredFiles.under(root)).containsExactly(PATH + ".partial");
            assertThat(store.verify(KEY, SHA256, CONTENT.length)).isFalse();
            staged.commit();
        }

        assertThat(StoredFiles.under(root)).containsExactly(PATH, PATH + ".sha256");
        assertThat(store.verify(KEY, SHA256, CONTENT.length)).isTrue();
    }

    @Test
    void closingWithoutCommitDiscardsTheStagedCopy() throws IOException {
        ObjectStore store = new FileObjectStore(root);

        store.stage(KEY, SHA256, new ByteArrayInputStream(CONTENT), CONTENT.length)
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
        // What a crashed copy would have left.
        Files.writeString(root.resolve(PATH + ".partial"), "half");

        store.delete(KEY);
        store.delete(KEY);

        assertThat(StoredFiles.under(root)).isEmpty();
        assertThatNoException()
                .isThrownBy(() -> store.delete(
                        new ReplicaKey(new VersionKey("team-b", "never", "written", "1.0.0"), "westeurope", 3)));
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
        new VerifiedCopier(new NoMetrics(), Duration.ofMillis(100))
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
        assertThatThrownBy(() -> store.stage(KEY, SHA256, new ByteArrayInputStream(CONTENT), CONTENT.length))
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
                store.stage(KEY, SHA256, new ByteArrayInputStream(CONTENT), CONTENT.length)) {
            staged.commit();
        }
        return store;
    }
}
