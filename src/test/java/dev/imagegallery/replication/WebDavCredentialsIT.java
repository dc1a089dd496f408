package dev.imagegallery.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.imagegallery.testing.NginxServer;
import dev.imagegallery.testing.StoredFiles;
import dev.imagegallery.testing.TestPki;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A WebDAV store that wants credentials, over TLS from a test CA: a real nginx with basic
 * authentication ({@link NginxServer#withBasicAuthAndTls}). The right user, password and CA copy and
 * verify; a wrong or missing password is AuthenticationFailed, a CA that did not sign the server is
 * CertificateInvalid, on the probe, the copy and the streamed PUT alike, and leave nothing behind; a
 * token goes out as a bearer header. A redirect is not followed, so that the credentials never go to
 * another origin.
 */
class WebDavCredentialsIT {
    @RegisterExtension
    @Order(1)
    static final TestPki PKI = new TestPki();

    @RegisterExtension
    @Order(2)
    static final NginxServer NGINX = NginxServer.withBasicAuthAndTls(PKI);

    private static final ReplicaKey KEY =
            new ReplicaKey(new VersionKey("team-a", "main", "ubuntu", "1.2.0"), "westeurope", 0);
    private static final int SIZE = 3 * 1024 * 1024 + 17;
    private static final String WRONG_PASSWORD = "wrong:password-of-the-test";

    private final StoreClients clients = new StoreClients(Duration.ofSeconds(5));
    private final VerifiedCopier copier =
            new VerifiedCopier(new NoMetrics(), Duration.ofMillis(100), WriteFence.open("test"));

    @Test
    void theRightPasswordAndCaCopyVerifyAndDelete() throws IOException {
        ObjectStore store = store("/stores/signed-in", basic(NGINX.password()), PKI.caPem());
        TestSource source = TestSource.random(SIZE, 1);

        assertThatNoException().isThrownBy(store::probe);
        copier.replicate(job(source, store), (copied, total) -> {});

        Path stored = NGINX.root().resolve("stores/signed-in");
        assertThat(sha256(Files.readAllBytes(stored.resolve(KEY.objectPath())))).isEqualTo(source.sha256());
        assertThat(Files.readString(stored.resolve(KEY.objectPath() + ".sha256")))
                .startsWith(source.sha256() + "\nverified-by: test\nverified-at: ");
        assertThat(StoredFiles.under(stored)).containsExactly(KEY.objectPath(), KEY.objectPath() + ".sha256");
        assertThat(store.verify(KEY, source.sha256(), SIZE)).isTrue();

        store.delete(KEY);

        assertThat(StoredFiles.under(stored)).isEmpty();
    }

    @Test
    void aWrongPasswordIsAuthenticationFailedAndLeavesNothing() throws IOException {
        assertFailsFor(
                FailureReason.AuthenticationFailed, "/stores/wrong-password", basic(WRONG_PASSWORD), PKI.caPem(), 2);
    }

    @Test
    void aWriteForbiddenToTheUserIsAuthenticationFailed() throws IOException {
        // Signed in, a 403 is the server's judgement of the credentials: they lack the right to write.
        ObjectStore store = store(NginxServer.READ_ONLY_PREFIX + "west", basic(NGINX.password()), PKI.caPem());
        TestSource source = TestSource.random(SIZE, 10);

        assertThat(assertStoreFailure(
                        FailureReason.AuthenticationFailed,
                        () -> copier.replicate(job(source, store), (copied, total) -> {})))
                .hasMessageContaining("answered HTTP 403");
        assertThat(StoredFiles.under(NGINX.root().resolve(NginxServer.READ_ONLY_PREFIX.substring(1))))
                .isEmpty();
    }

    @Test
    void noCredentialsAreAuthenticationFailed() throws IOException {
        assertFailsFor(FailureReason.AuthenticationFailed, "/stores/anonymous", StoreCredentials.NONE, PKI.caPem(), 3);
    }

    @Test
    void aCaThatDidNotSignTheServerIsCertificateInvalid() throws IOException {
        assertFailsFor(
                FailureReason.CertificateInvalid, "/stores/other-ca", basic(NGINX.password()), PKI.otherCaPem(), 4);
    }

    @Test
    void aTokenIsSentAsABearerHeader() throws IOException {
        String path = NginxServer.BEARER_PREFIX + "stores/token";
        ObjectStore store = store(path, new StoreCredentials.Token(NGINX.token()), PKI.caPem());
        TestSource source = TestSource.random(SIZE, 5);

        assertThatNoException().isThrownBy(store::probe);
        copier.replicate(job(source, store), (copied, total) -> {});

        Path stored = NGINX.root().resolve(path.substring(1));
        assertThat(sha256(Files.readAllBytes(stored.resolve(KEY.objectPath())))).isEqualTo(source.sha256());
        assertThat(store.verify(KEY, source.sha256(), SIZE)).isTrue();

        assertFailsFor(
                FailureReason.AuthenticationFailed,
                NginxServer.BEARER_PREFIX + "stores/wrong-token",
                new StoreCredentials.Token("not-" + NGINX.token()),
                PKI.caPem(),
                6);
        // Where the token is wanted the user and password are no way in: what let the copy in was the bearer header.
        assertFailsFor(
                FailureReason.AuthenticationFailed,
                NginxServer.BEARER_PREFIX + "stores/basic",
                basic(NGINX.password()),
                PKI.caPem(),
                7);
    }

    @Test
    void aReplicaIsReadBackWithTheStoresCredentialsAndCaAndCopiedOnToAnotherStore() throws IOException {
        ObjectStore store = store("/stores/replica-source", basic(NGINX.password()), PKI.caPem());
        ObjectStore other = store("/stores/replica-copy", basic(NGINX.password()), PKI.caPem());
        TestSource source = TestSource.random(SIZE, 11);
        copier.replicate(job(source, store), (copied, total) -> {});

        ImageSource replica = store.replica(KEY, SIZE);

        assertThat(replica.uri()).isEqualTo(NGINX.uri("/stores/replica-source/" + KEY.objectPath()));
        assertThat(replica.probeSize()).isEqualTo(SIZE);
        assertThat(TestSource.sha256(replica)).isEqualTo(source.sha256());
        copier.replicate(new CopyJob(KEY, replica, source.sha256(), (long) SIZE, other), (copied, total) -> {});
        assertThat(sha256(Files.readAllBytes(
                        NGINX.root().resolve("stores/replica-copy").resolve(KEY.objectPath()))))
                .isEqualTo(source.sha256());
        assertThat(other.verify(KEY, source.sha256(), SIZE)).isTrue();
    }

    @Test
    void aReplicaThatIsMissingOrRefusedFailsNamingItAndTheStoreWithoutCredentials() throws IOException {
        String path = "/stores/replica-failures";
        ObjectStore store = store(path, basic(NGINX.password()), PKI.caPem());
        copier.replicate(job(TestSource.random(SIZE, 12), store), (copied, total) -> {});
        String named = "replica westeurope:team-a/main/ubuntu/1.2.0/";

        assertThat(assertStoreFailure(
                        FailureReason.StoreUnavailable,
                        () -> store.replica(new ReplicaKey(KEY.version(), KEY.region(), 1), SIZE)))
                .hasMessage(named + "1 is not in store " + NGINX.uri(path + "/"));
        assertThat(assertStoreFailure(FailureReason.StoreUnavailable, () -> store.replica(KEY, SIZE - 1)))
                .hasMessageStartingWith(named + "0 in store " + NGINX.uri(path + "/") + " has " + SIZE + " bytes");
        assertThat(assertStoreFailure(
                        FailureReason.AuthenticationFailed,
                        () -> store(path, basic(WRONG_PASSWORD), PKI.caPem()).replica(KEY, SIZE)))
                .hasMessageContaining(named + "0")
                .hasMessageContaining("answered HTTP 401");
        assertStoreFailure(
                FailureReason.AuthenticationFailed,
                () -> store(path, StoreCredentials.NONE, PKI.caPem()).replica(KEY, SIZE));
        assertStoreFailure(
                FailureReason.CertificateInvalid,
                () -> store(path, basic(NGINX.password()), PKI.otherCaPem()).replica(KEY, SIZE));
        ImageSource deletedMeanwhile = store.replica(KEY, SIZE);
        store.delete(KEY);
        assertThat(assertStoreFailure(FailureReason.StoreUnavailable, deletedMeanwhile::open))
                .hasMessage(named + "0 is not in store " + NGINX.uri(path + "/"));
    }

    @Test
    void aRedirectToAnotherOriginIsNotFollowedWithTheCredentials() throws IOException {
        // A replica at the redirect's target, which only the right user may read or delete there.
        TestSource source = TestSource.random(SIZE, 8);
        Path target = NGINX.root().resolve("stores/redirect-target");
        Files.createDirectories(target.resolve(KEY.objectPath()).getParent());
        Files.write(target.resolve(KEY.objectPath()), source.content());
        Files.writeString(target.resolve(KEY.objectPath() + ".sha256"), source.sha256() + "\n");
        ObjectStore store =
                store(NginxServer.REDIRECT_PREFIX + "stores/redirect-target", basic(NGINX.password()), PKI.caPem());

        // Followed, with the credentials, the redirect would find the replica there and vouch for it.
        assertStoreFailure(FailureReason.StoreUnavailable, () -> store.verify(KEY, source.sha256(), SIZE));
        assertStoreFailure(FailureReason.StoreUnavailable, () -> store.delete(KEY));
        assertStoreFailure(FailureReason.StoreUnavailable, () -> store.replica(KEY, SIZE));
        assertStoreFailure(
                FailureReason.StoreUnavailable,
                () -> copier.replicate(job(TestSource.random(SIZE, 9), store), (copied, total) -> {}));
        assertThat(assertStoreFailure(FailureReason.StoreUnavailable, store::probe))
                .hasMessageContaining("HTTP 307, a redirect to https://localhost:");

        assertThat(StoredFiles.under(target)).containsExactly(KEY.objectPath(), KEY.objectPath() + ".sha256");
        assertThat(sha256(Files.readAllBytes(target.resolve(KEY.objectPath())))).isEqualTo(source.sha256());
    }

    /**
     * The probe, a copy and a streamed PUT by itself (the copy fails before its PUT, at the check for
     * a replica in place) all fail for {@code reason}, with no credential in any message, and leave
     * nothing under the store's {@code path}.
     */
    private void assertFailsFor(
            FailureReason reason, String path, StoreCredentials credentials, String caPem, long seed)
            throws IOException {
        ObjectStore store = store(path, credentials, caPem);
        TestSource source = TestSource.random(SIZE, seed);

        assertStoreFailure(reason, store::probe);
        assertStoreFailure(reason, () -> copier.replicate(job(source, store), (copied, total) -> {}));
        assertStoreFailure(reason, () -> {
            try (ObjectStore.StagedObject staged =
                    store.stage(KEY, new Attempt(source.sha256(), WriteFence.open("test"), 1), source.open(), SIZE)) {
                staged.commit();
            }
        });
        assertStoreFailure(reason, () -> store.verify(KEY, source.sha256(), SIZE));

        assertThat(StoredFiles.under(NGINX.root().resolve(path.substring(1)))).isEmpty();
    }

    private static Throwable assertStoreFailure(FailureReason reason, ThrowingCallable call) {
        Throwable failure = catchThrowable(call);
        assertThat(failure).as("what the store threw").isInstanceOf(StoreUnavailableException.class);
        assertThat(((StoreUnavailableException) failure).reason())
                .as("reason of %s", failure)
                .isEqualTo(reason);
        assertNoCredentials(failure);
        return failure;
    }

    /** Neither the server's password nor the wrong one of the tests, nor a header made of one, shows in the failure or its causes. */
    private static void assertNoCredentials(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            for (String text : new String[] {t.getMessage(), t.toString()}) {
                assertThat(String.valueOf(text))
                        .doesNotContain(NGINX.password())
                        .doesNotContain(WRONG_PASSWORD)
                        .doesNotContain(NGINX.token())
                        .doesNotContain(basicHeader(NGINX.password()))
                        .doesNotContain(basicHeader(WRONG_PASSWORD));
            }
            for (Throwable suppressed : t.getSuppressed()) {
                assertNoCredentials(suppressed);
            }
        }
    }

    private static String basicHeader(String password) {
        return Base64.getEncoder().encodeToString((NGINX.username() + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static StoreCredentials basic(String password) {
        return new StoreCredentials.UsernamePassword(NGINX.username(), password);
    }

    private ObjectStore store(String path, StoreCredentials credentials, String caPem) {
        try {
            return ObjectStore.open(
                    new StoreConnection(NGINX.uri(path), Optional.empty(), credentials, Optional.of(caPem)), clients);
        } catch (StoreUnavailableException e) {
            throw new AssertionError(e);
        }
    }

    private static CopyJob job(TestSource source, ObjectStore store) {
        return new CopyJob(KEY, source, source.sha256(), (long) SIZE, store);
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
