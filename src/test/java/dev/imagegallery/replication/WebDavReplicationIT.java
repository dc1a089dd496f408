package dev.imagegallery.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.imagegallery.testing.NginxServer;
import dev.imagegallery.testing.StoredFiles;
import dev.imagegallery.testing.TestSources;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Replication through a real nginx: as a WebDAV store, as an HTTP source, and as a store that refuses writes. */
class WebDavReplicationIT {
    @RegisterExtension
    static final NginxServer NGINX = NginxServer.forSources();

    private static final ReplicaKey KEY =
            new ReplicaKey(new VersionKey("team-a", "main", "ubuntu", "1.2.0"), "westeurope", 0);
    private static final int SIZE = 3 * 1024 * 1024 + 17;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final VerifiedCopier copier =
            new VerifiedCopier(new NoMetrics(), Duration.ofMillis(100), WriteFence.open("test"));

    @Test
    void copiesIntoTheServerVerifiesMarksAndDeletes() throws IOException {
        ObjectStore store = store("copy-verify-delete");
        TestSource source = TestSource.random(SIZE, 1);

        copier.replicate(job(source, source.sha256(), store), (copied, total) -> {});

        Path stored = NGINX.root().resolve("stores/copy-verify-delete");
        assertThat(Files.readAllBytes(stored.resolve(KEY.objectPath()))).isEqualTo(source.content());
        assertThat(Files.readString(stored.resolve(KEY.objectPath() + ".sha256")))
                .startsWith(source.sha256() + "\nverified-by: test\nverified-at: ");
        assertThat(StoredFiles.under(stored)).containsExactly(KEY.objectPath(), KEY.objectPath() + ".sha256");
        assertThat(store.verify(KEY, source.sha256(), SIZE)).isTrue();
        assertThat(store.verify(KEY, source.sha256(), SIZE - 1)).isFalse();
        copier.replicate(job(source, source.sha256(), store), (copied, total) -> {});
        assertThat(source.opens()).as("found in place, not copied again").isEqualTo(1);

        store.delete(KEY);
        store.delete(KEY);

        assertThat(StoredFiles.under(stored)).isEmpty();
        assertThat(store.verify(KEY, source.sha256(), SIZE)).isFalse();
    }

    @Test
    void copiesFromAnHttpSourceIntoAFileStore(@TempDir Path storeRoot) throws IOException {
        TestSource content = TestSource.random(SIZE, 2);
        Files.createDirectories(NGINX.root().resolve("images"));
        Files.write(NGINX.root().resolve("images/ubuntu.raw"), content.content());
        ImageSource source =
                TestSources.access().source(NGINX.uri("/images/ubuntu.raw").toString());

        assertThat(source.probeSize()).isEqualTo(SIZE);
        copier.replicate(
                new CopyJob(KEY, source, content.sha256(), null, new FileObjectStore(storeRoot)),
                (copied, total) -> {});

        assertThat(Files.readAllBytes(storeRoot.resolve(KEY.objectPath()))).isEqualTo(content.content());
    }

    @Test
    void aMissingHttpSourceIsUnreachable() {
        ImageSource source =
                TestSources.access().source(NGINX.uri("/images/missing.raw").toString());

        assertThatThrownBy(source::probeSize)
                .isInstanceOf(SourceUnreachableException.class)
                .hasMessage("HEAD " + NGINX.uri("/images/missing.raw") + " answered HTTP 404");
        assertThatThrownBy(source::open)
                .isInstanceOf(SourceUnreachableException.class)
                .hasMessage("GET " + NGINX.uri("/images/missing.raw") + " answered HTTP 404");
    }

    @Test
    void aSourceOnAServerThatIsDownIsUnreachable() throws IOException {
        URI down;
        try (NginxServer stopped = NginxServer.forSources()) {
            stopped.start();
            down = stopped.uri("/image.raw");
        }
        ImageSource source = TestSources.access().source(down.toString());

        assertThatThrownBy(source::probeSize)
                .isInstanceOf(SourceUnreachableException.class)
                .hasMessageContaining("cannot reach source");
    }

    @Test
    void aStoreThatRefusesWritesSaysSoAndKeepsNothing() throws IOException {
        ObjectStore store = AnonymousStores.at(
                NGINX.uri(NginxServer.READ_ONLY_PREFIX + "west").toString());
        TestSource source = TestSource.random(SIZE, 3);

        Throwable failure =
                catchThrowable(() -> copier.replicate(job(source, source.sha256(), store), (copied, total) -> {}));

        assertThat(failure)
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageStartingWith("store " + NGINX.uri(NginxServer.READ_ONLY_PREFIX + "west/")
                        + " refused to write " + KEY.objectPath())
                .hasMessageContaining("answered HTTP 403");
        // Reached without credentials, a 403 is no failed authentication: no Secret would change it.
        assertThat(((StoreUnavailableException) failure).reason()).isEqualTo(FailureReason.StoreUnavailable);
        assertThat(StoredFiles.under(NGINX.root().resolve(NginxServer.READ_ONLY_PREFIX.substring(1))))
                .isEmpty();
    }

    @Test
    void aDigestMismatchLeavesNothingOnTheServer() throws IOException {
        ObjectStore store = store("digest-mismatch");
        TestSource source = TestSource.random(SIZE, 4);

        assertThatThrownBy(() -> copier.replicate(job(source, "0".repeat(64), store), (copied, total) -> {}))
                .isInstanceOf(DigestMismatchException.class)
                .hasMessageContaining("expected sha256 " + "0".repeat(64))
                .message()
                .doesNotContain(source.sha256());
        assertThat(StoredFiles.under(NGINX.root().resolve("stores/digest-mismatch")))
                .isEmpty();
    }

    @Test
    void aSourceBreakingOffMidUploadLeavesNothingOnTheServer() throws IOException {
        ObjectStore store = store("source-breaks");
        TestSource source = TestSource.random(SIZE, 5).breakingAfter(SIZE / 2);

        assertThatThrownBy(() -> copier.replicate(job(source, source.sha256(), store), (copied, total) -> {}))
                .isInstanceOf(SourceUnreachableException.class)
                .hasMessageContaining("broke off");
        assertThat(StoredFiles.under(NGINX.root().resolve("stores/source-breaks")))
                .isEmpty();
    }

    @Test
    void interruptingAnUploadLeavesNothingOnTheServer() throws Exception {
        ObjectStore store = store("interrupted");
        CountDownLatch halfway = new CountDownLatch(1);
        // Held halfway, so that the interrupt comes while half the body has been sent.
        TestSource source = TestSource.random(4 * SIZE, 6).stallingAt(2L * SIZE, halfway);
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread copy = new Thread(() -> {
            try {
                copier.replicate(
                        new CopyJob(KEY, source, source.sha256(), (long) source.size(), store), (copied, total) -> {});
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        copy.start();
        assertThat(halfway.await(10, TimeUnit.SECONDS)).isTrue();

        copy.interrupt();

        assertThat(outcome.get(10, TimeUnit.SECONDS))
                .isInstanceOf(InterruptedIOException.class)
                .hasMessageContaining("cancelled");
        assertThat(StoredFiles.under(NGINX.root().resolve("stores/interrupted")))
                .isEmpty();
    }

    @Test
    void theProbeTellsARunningServerFromOneThatIsDown() throws IOException {
        assertThatNoException().isThrownBy(store("probe")::probe);

        ObjectStore down = AnonymousStores.at("http://127.0.0.1:" + unusedPort() + "/stores/west");
        assertThatThrownBy(down::probe)
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("cannot reach store");
    }

    private static CopyJob job(TestSource source, String sha256, ObjectStore store) {
        return new CopyJob(KEY, source, sha256, (long) SIZE, store);
    }

    /** A store of its own for each test, so that no test sees what another left. */
    private ObjectStore store(String name) {
        return AnonymousStores.at(NGINX.uri("/stores/" + name).toString());
    }

    private static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
