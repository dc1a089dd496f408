package dev.imagegallery.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegallery.testing.Commands;
import dev.imagegallery.testing.S3Cli;
import dev.imagegallery.testing.S3Server;
import dev.imagegallery.testing.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * S3 stores and sources against a real S3 server (versitygw over HTTPS with a test CA), read back
 * with a second client of its own (the aws CLI): the commit protocol, the failure reasons, a server
 * that goes away mid-upload, the memory an upload takes, and that no key ever shows in a failure.
 */
class S3ObjectStoreIT {
    @RegisterExtension
    @Order(1)
    static final TestPki PKI = new TestPki();

    @RegisterExtension
    @Order(2)
    static final S3Server S3 = new S3Server(PKI);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MIB = 1L << 20;
    /** S3's least part size: many parts from small images, and the test stays quick. */
    private static final long SMALL_PARTS = 5 * MIB;

    private static final ReplicaKey KEY =
            new ReplicaKey(new VersionKey("team-a", "main", "ubuntu", "1.2.0"), "westeurope", 1);
    private static final String PREFIX = "stores/west";
    private static final String OBJECT = PREFIX + "/" + KEY.objectPath();
    private static final String MARKER = OBJECT + ".sha256";
    private static final int SIZE = 12 * (int) MIB + 17;
    private static final String WRONG_SECRET = "igotest-wrong-secret-0f3e9d";

    private final StoreClients clients = new StoreClients(Duration.ofSeconds(5));
    private final VerifiedCopier copier =
            new VerifiedCopier(new NoMetrics(), Duration.ofMillis(100), WriteFence.open("test"));

    @TempDir
    Path tmp;

    @Test
    void aVerifiedCopyIsCommittedWithItsDigestAndTheAwsCliReadsItBack() throws IOException {
        createBucket("copy");
        ObjectStore store = store("s3://copy/" + PREFIX);
        TestSource source = TestSource.random(SIZE, 1);

        copier.replicate(job(source, source.sha256(), store), (copied, total) -> {});

        S3Cli aws = S3.cli();
        assertThat(aws.listKeys("copy", "")).containsExactly(OBJECT, MARKER);
        assertThat(aws.sha256("copy", OBJECT)).isEqualTo(source.sha256());
        assertThat(aws.text("copy", MARKER))
                .as("the marker: the digest, who verified it")
                .startsWith(source.sha256() + "\nverified-by: test\nverified-at: ");
        JsonNode head = headWithChecksum("copy", OBJECT);
        assertThat(head.path("Metadata").path("sha256").asText()).isEqualTo(source.sha256());
        assertThat(head.path("ContentLength").asLong()).isEqualTo(SIZE);
        assertThat(head.path("ChecksumSHA256").asText())
                .as("S3 checked a SHA-256 of each of the 3 parts")
                .endsWith("-3");
        assertThat(multipartUploads("copy")).isEmpty();

        assertThat(store.verify(KEY, source.sha256(), SIZE)).isTrue();
        assertThat(store.verify(KEY, source.sha256(), SIZE - 1)).isFalse();
        assertThat(store.verify(KEY, "0".repeat(64), SIZE)).isFalse();
        copier.replicate(job(source, source.sha256(), store), (copied, total) -> {});
        assertThat(source.opens()).as("found in place, not copied again").isEqualTo(1);
    }

    @Test
    void anEmptyPrefixOrOneEndingInASlashMakesNoDoubleSlash() throws IOException {
        createBucket("layout");
        TestSource source = TestSource.random(1000, 2);

        for (String endpoint : List.of("s3://layout", "s3://layout/", "s3://layout/west/")) {
            copier.replicate(job(source, source.sha256(), store(endpoint)), (copied, total) -> {});
        }

        assertThat(S3.cli().listKeys("layout", ""))
                .containsExactly(
                        KEY.objectPath(),
                        KEY.objectPath() + ".sha256",
                        "west/" + KEY.objectPath(),
                        "west/" + KEY.objectPath() + ".sha256");
    }

    /** What the store audit compares with the replicas on record: every object below the prefix, and only those. */
    @Test
    void theListingHoldsEveryObjectBelowThePrefixWithItsSizeRelativeToIt() throws IOException {
        createBucket("listing");
        ObjectStore store = store("s3://listing/" + PREFIX);
        TestSource source = TestSource.random(1000, 4);
        copier.replicate(job(source, source.sha256(), store), (copied, total) -> {});
        Path stray = Files.writeString(tmp.resolve("stray.bin"), "dropped in by hand");
        S3.cli().putObject("listing", PREFIX + "/stray.bin", stray, Map.of());
        S3.cli().putObject("listing", "elsewhere/" + KEY.objectPath(), stray, Map.of());

        assertThat(store.list().orElseThrow())
                .extracting(ObjectStore.StoredObject::path, ObjectStore.StoredObject::sizeBytes)
                .containsExactlyInAnyOrder(
                        tuple(KEY.objectPath(), 1000L),
                        tuple(KEY.objectPath() + ".sha256", (long)
                                S3.cli().text("listing", MARKER).length()),
                        tuple("stray.bin", 18L));
    }

    @Test
    void aDigestMismatchLeavesNoObjectAndNoUploadInProgress() throws IOException {
        createBucket("mismatch");
        ObjectStore store = store("s3://mismatch/" + PREFIX);
        TestSource source = TestSource.random(SIZE, 3);

        Throwable failure =
                catchThrowable(() -> copier.replicate(job(source, "0".repeat(64), store), (copied, total) -> {}));

        assertThat(failure).isInstanceOf(DigestMismatchException.class).hasMessageContaining("0".repeat(64));
        assertNoCredentials(failure);
        assertThat(S3.cli().listKeys("mismatch", "")).isEmpty();
        assertThat(multipartUploads("mismatch")).isEmpty();
    }

    @Test
    void aWrongSecretIsAuthenticationFailedOnProbeAndCopy() {
        createBucket("wrong-secret");
        ObjectStore store = store(
                "s3://wrong-secret/" + PREFIX,
                new StoreCredentials.AccessKeys(S3.accessKeyId(), WRONG_SECRET, null),
                Optional.of(S3.caPem()));
        TestSource source = TestSource.random(SIZE, 4);

        Throwable probe = catchThrowable(store::probe);
        Throwable copy = catchThrowable(() -> copier.replicate(job(source, source.sha256(), store), (c, t) -> {}));

        assertThat(probe)
                .isInstanceOfSatisfying(
                        StoreUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(FailureReason.AuthenticationFailed))
                .hasMessage("cannot find bucket wrong-secret in store s3://wrong-secret/stores/west: HTTP 403");
        assertThat(copy)
                .isInstanceOfSatisfying(
                        StoreUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(FailureReason.AuthenticationFailed))
                .hasMessageStartingWith("cannot read the marker of " + KEY.objectPath()
                        + " in store s3://wrong-secret/stores/west: SignatureDoesNotMatch (HTTP 403)");
        assertNoCredentials(probe);
        assertNoCredentials(copy);
    }

    @Test
    void aMissingBucketIsBucketNotFound() {
        ObjectStore store = store("s3://no-such-bucket/" + PREFIX);
        TestSource source = TestSource.random(SIZE, 5);

        Throwable probe = catchThrowable(store::probe);
        Throwable copy = catchThrowable(() -> copier.replicate(job(source, source.sha256(), store), (c, t) -> {}));

        assertThat(probe)
                .isInstanceOfSatisfying(
                        StoreUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(FailureReason.BucketNotFound))
                .hasMessageStartingWith("cannot find bucket no-such-bucket in store s3://no-such-bucket/stores/west: ");
        assertThat(copy)
                .isInstanceOfSatisfying(
                        StoreUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(FailureReason.BucketNotFound))
                .hasMessageContaining("NoSuchBucket (HTTP 404)");
        assertNoCredentials(probe);
        assertNoCredentials(copy);
    }

    @Test
    void aCaThatDidNotSignTheServerIsCertificateInvalid() {
        createBucket("other-ca");
        ObjectStore store = store(
                "s3://other-ca/" + PREFIX,
                new StoreCredentials.AccessKeys(S3.accessKeyId(), S3.secretAccessKey(), null),
                Optional.of(PKI.otherCaPem()));
        TestSource source = TestSource.random(SIZE, 6);

        Throwable probe = catchThrowable(store::probe);
        Throwable copy = catchThrowable(() -> copier.replicate(job(source, source.sha256(), store), (c, t) -> {}));

        for (Throwable failure : List.of(probe, copy)) {
            assertThat(failure)
                    .isInstanceOfSatisfying(
                            StoreUnavailableException.class,
                            e -> assertThat(e.reason()).isEqualTo(FailureReason.CertificateInvalid))
                    .hasMessageContaining("in store s3://other-ca/stores/west: ")
                    .hasMessageContaining("certification path");
            assertNoCredentials(failure);
        }
    }

    @Test
    void aServerStoppedMidUploadLeavesNoObjectAndTheSameCopySucceedsOnceItIsBack() throws Exception {
        createBucket("restart");
        ObjectStore store = store("s3://restart/" + PREFIX);
        CountDownLatch paused = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        // Paused inside part 7 of 13, with 6 parts uploaded.
        GeneratedSource source = new GeneratedSource(64 * MIB, 7).pausingAt(32 * MIB + 12345, paused, resume);
        CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(
                () -> catchThrowable(() -> copier.replicate(job(source, store), (c, t) -> {})));
        assertThat(paused.await(30, TimeUnit.SECONDS)).isTrue();
        // Long enough for the upload to take what was read ahead and wait inside the part for more.
        Thread.sleep(500);

        crashServer();
        resume.countDown();
        Throwable failure = outcome.get(60, TimeUnit.SECONDS);
        S3.start();

        assertThat(failure)
                .isInstanceOfSatisfying(
                        StoreUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(FailureReason.StoreUnavailable))
                .hasMessageMatching("cannot upload part [67] of 13 of " + KEY.objectPath()
                        + " in store s3://restart/stores/west: .*");
        assertNoCredentials(failure);
        assertThat(S3.cli().listKeys("restart", "")).isEmpty();
        assertThat(multipartUploads("restart"))
                .as("the server kept the upload it could not be told to abort")
                .containsExactly(OBJECT);

        copier.replicate(job(source.withoutPause(), store), (c, t) -> {});

        assertThat(S3.cli().sha256("restart", OBJECT)).isEqualTo(source.sha256());
        assertThat(store.verify(KEY, source.sha256(), source.size())).isTrue();
        assertThat(multipartUploads("restart"))
                .as("the upload the stopped server kept was aborted by the next copy")
                .isEmpty();
    }

    @Test
    void cancellingACopyAbortsItsUpload() throws Exception {
        createBucket("cancel");
        ObjectStore store = store("s3://cancel/" + PREFIX);
        CountDownLatch paused = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        GeneratedSource source = new GeneratedSource(16 * MIB, 12).pausingAt(7 * MIB, paused, never);
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread copy = new Thread(() ->
                outcome.complete(catchThrowable(() -> copier.replicate(job(source, store), (c, t) -> {}))));
        copy.start();
        assertThat(paused.await(30, TimeUnit.SECONDS)).isTrue();

        copy.interrupt();

        assertThat(outcome.get(30, TimeUnit.SECONDS))
                .isInstanceOf(InterruptedIOException.class)
                .hasMessageContaining("cancelled");
        assertThat(S3.cli().listKeys("cancel", "")).isEmpty();
        assertThat(multipartUploads("cancel"))
                .as("aborted, not left for the next copy")
                .isEmpty();
    }

    @Test
    void deleteRemovesObjectMarkerAndUploadsInProgressOfThatReplicaOnly() throws IOException {
        createBucket("delete");
        ObjectStore store = store("s3://delete/" + PREFIX);
        TestSource source = TestSource.random(1000, 8);
        copier.replicate(job(source, source.sha256(), store), (c, t) -> {});
        // Uploads a crashed copy of this replica left behind, and one of replica 10, whose key begins with this one's.
        String replica10 = PREFIX + "/" + new ReplicaKey(KEY.version(), KEY.region(), 10).objectPath();
        try (S3Clients.Lease lease = clients.s3(connection(
                "s3://delete",
                new StoreCredentials.AccessKeys(S3.accessKeyId(), S3.secretAccessKey(), null),
                Optional.of(S3.caPem())))) {
            for (String key : List.of(OBJECT, OBJECT, replica10)) {
                lease.client()
                        .createMultipartUpload(
                                request -> request.bucket("delete").key(key));
            }
        }
        assertThat(multipartUploads("delete")).containsExactlyInAnyOrder(OBJECT, OBJECT, replica10);

        store.delete(KEY);
        store.delete(KEY);

        assertThat(S3.cli().listKeys("delete", "")).isEmpty();
        assertThat(multipartUploads("delete")).containsExactly(replica10);
        assertThat(store.verify(KEY, source.sha256(), source.size())).isFalse();
    }

    @Test
    void theProbeWritesAndRemovesItsObjectInAWritableBucket() {
        createBucket("probe");

        assertThatNoException().isThrownBy(store("s3://probe/" + PREFIX)::probe);

        assertThat(S3.cli().listKeys("probe", "")).isEmpty();
    }

    @Test
    void anS3SourceTellsItsSizeAndStreamsItsBytes() throws IOException {
        createBucket("images");
        Path file = tmp.resolve("ubuntu.raw");
        byte[] content = TestSource.random(3 * (int) MIB + 5, 9).content();
        Files.write(file, content);
        S3.cli().putObject("images", "gallery/ubuntu.raw", file, Map.of());
        ObjectStore store = store("s3://images/gallery");

        ImageSource source = store.source(URI.create("s3://images/gallery/ubuntu.raw"));

        assertThat(source.uri()).hasToString("s3://images/gallery/ubuntu.raw");
        assertThat(source.probeSize()).isEqualTo(content.length);
        try (InputStream in = source.open()) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
        // Through the copier into another store of the same server.
        copier.replicate(
                new CopyJob(KEY, source, TestSource.sha256(content), null, store("s3://images/replicas")),
                (c, t) -> {});
        assertThat(S3.cli().sha256("images", "replicas/" + KEY.objectPath())).isEqualTo(TestSource.sha256(content));
    }

    @Test
    void closingAnS3SourceEarlyAbortsInsteadOfReadingTheRest() throws IOException {
        createBucket("large");
        // A sparse 4 GiB file in the server's posix backend, which serves a file as an object.
        Path object = S3.data().resolve("large/images/sparse.raw");
        Files.createDirectories(object.getParent());
        try (RandomAccessFile file = new RandomAccessFile(object.toFile(), "rw")) {
            file.setLength(4L << 30);
        }
        ImageSource source = store("s3://large/images").source(URI.create("s3://large/images/sparse.raw"));
        assertThat(source.probeSize()).isEqualTo(4L << 30);

        InputStream in = source.open();
        assertThat(in.readNBytes((int) MIB)).hasSize((int) MIB);
        long start = System.nanoTime();
        in.close();

        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("closed without reading the 4 GiB that are left")
                .isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void aMissingOrRefusedS3SourceIsUnreachableAndNamesTheUrlOnly() throws IOException {
        createBucket("sources");
        ObjectStore store = store("s3://sources/images");
        ImageSource missing = store.source(URI.create("s3://sources/images/missing.raw"));
        ImageSource refused = store(
                        "s3://sources/images",
                        new StoreCredentials.AccessKeys(S3.accessKeyId(), WRONG_SECRET, null),
                        Optional.of(S3.caPem()))
                .source(URI.create("s3://sources/images/missing.raw"));

        List<Throwable> failures = List.of(
                catchThrowable(missing::probeSize),
                catchThrowable(missing::open),
                catchThrowable(refused::probeSize),
                catchThrowable(refused::open));

        assertThat(failures.get(0))
                .isInstanceOf(SourceUnreachableException.class)
                .hasMessage("cannot read the size of source s3://sources/images/missing.raw: NoSuchKey (HTTP 404)");
        assertThat(failures.get(1))
                .isInstanceOf(SourceUnreachableException.class)
                .hasMessage("cannot read the bytes of source s3://sources/images/missing.raw: NoSuchKey (HTTP 404)");
        assertThat(failures.get(2))
                .isInstanceOf(SourceUnreachableException.class)
                .hasMessage("cannot read the size of source s3://sources/images/missing.raw: HTTP 403");
        assertThat(failures.get(3))
                .isInstanceOf(SourceUnreachableException.class)
                .hasMessage("cannot read the bytes of source s3://sources/images/missing.raw:"
                        + " SignatureDoesNotMatch (HTTP 403)");
        failures.forEach(S3ObjectStoreIT::assertNoCredentials);
        assertThatThrownBy(() -> store.source(URI.create("s3://sources/other/x.raw")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("source s3://sources/other/x.raw is not an object below store s3://sources/images");
        assertThatThrownBy(() -> store.source(URI.create("s3://elsewhere/images/x.raw")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aReplicaIsReadBackWithTheStoresKeysAndCopiedOnToAnotherStore() throws IOException {
        createBucket("fan-out");
        ObjectStore store = store("s3://fan-out/" + PREFIX);
        ObjectStore other = store("s3://fan-out/stores/east");
        TestSource source = TestSource.random(SIZE, 11);
        copier.replicate(job(source, source.sha256(), store), (copied, total) -> {});

        ImageSource replica = store.replica(KEY, SIZE);

        assertThat(replica.uri()).hasToString("s3://fan-out/" + OBJECT);
        assertThat(replica.probeSize()).isEqualTo(SIZE);
        assertThat(TestSource.sha256(replica)).isEqualTo(source.sha256());
        copier.replicate(new CopyJob(KEY, replica, source.sha256(), (long) SIZE, other), (copied, total) -> {});
        assertThat(S3.cli().sha256("fan-out", "stores/east/" + KEY.objectPath()))
                .isEqualTo(source.sha256());
        assertThat(other.verify(KEY, source.sha256(), SIZE)).isTrue();
    }

    @Test
    void aReplicaThatIsMissingOrRefusedFailsNamingItAndTheStoreWithoutKeys() throws IOException {
        createBucket("replica-failures");
        String endpoint = "s3://replica-failures/" + PREFIX;
        ObjectStore store = store(endpoint);
        TestSource source = TestSource.random(SIZE, 12);
        copier.replicate(job(source, source.sha256(), store), (copied, total) -> {});
        ReplicaKey missing = new ReplicaKey(KEY.version(), KEY.region(), 2);

        Throwable absent = catchThrowable(() -> store.replica(missing, SIZE));
        Throwable otherSize = catchThrowable(() -> store.replica(KEY, SIZE + 1));
        Throwable refused = catchThrowable(() -> store(
                        endpoint,
                        new StoreCredentials.AccessKeys(S3.accessKeyId(), WRONG_SECRET, null),
                        Optional.of(S3.caPem()))
                .replica(KEY, SIZE));
        Throwable untrusted = catchThrowable(() -> store(
                        endpoint,
                        new StoreCredentials.AccessKeys(S3.accessKeyId(), S3.secretAccessKey(), null),
                        Optional.of(PKI.otherCaPem()))
                .replica(KEY, SIZE));

        assertThat(absent)
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessage("replica westeurope:team-a/main/ubuntu/1.2.0/2 is not in store " + endpoint);
        assertThat(otherSize)
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageStartingWith("replica westeurope:team-a/main/ubuntu/1.2.0/1 in store " + endpoint + " has "
                        + SIZE + " bytes, not the " + (SIZE + 1) + " expected");
        assertThat(refused)
                .isInstanceOfSatisfying(
                        StoreUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(FailureReason.AuthenticationFailed))
                .hasMessage("cannot check the size of replica westeurope:team-a/main/ubuntu/1.2.0/1 in store "
                        + endpoint + ": HTTP 403");
        assertThat(untrusted)
                .isInstanceOfSatisfying(
                        StoreUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(FailureReason.CertificateInvalid));
        List.of(absent, otherSize, refused, untrusted).forEach(S3ObjectStoreIT::assertNoCredentials);
    }

    @Test
    void aRotatedConnectionReplacesTheClientWithoutBreakingAnUploadUsingTheOldOne() throws IOException {
        createBucket("rotation");
        StoreConnection before = connection(
                "s3://rotation/" + PREFIX,
                new StoreCredentials.AccessKeys(S3.accessKeyId(), S3.secretAccessKey(), null),
                Optional.of(S3.caPem()));
        // The CA Secret rewritten with the same certificate: another connection, the same trust.
        StoreConnection after = new StoreConnection(
                before.endpoint(), before.s3(), before.credentials(), Optional.of(S3.caPem() + "\n"));
        TestSource source = TestSource.random(SIZE, 10);
        S3Clients.Lease held = clients.s3(before);

        try (ObjectStore.StagedObject staged = new S3ObjectStore(clients, before, SMALL_PARTS)
                .stage(
                        KEY,
                        new Attempt(source.sha256(), WriteFence.open("test"), 1),
                        new java.io.ByteArrayInputStream(source.content()),
                        SIZE)) {
            new S3ObjectStore(clients, after).probe();
            staged.commit();
        }
        assertThatNoException().isThrownBy(() -> held.client().headBucket(b -> b.bucket("rotation")));
        held.close();

        assertThatThrownBy(() -> held.client().headBucket(b -> b.bucket("rotation")))
                .as("the replaced client is closed once its last lease is back")
                .isInstanceOf(IllegalStateException.class);
        assertThat(new S3ObjectStore(clients, after).verify(KEY, source.sha256(), SIZE))
                .isTrue();
    }

    @Test
    void copyingHalfAGibKeepsTheHeapSmall() throws Exception {
        createBucket("memory");
        // Default part size (16 MiB): a store that held parts in memory would show it here.
        ObjectStore store = new S3ObjectStore(
                clients,
                connection(
                        "s3://memory/" + PREFIX,
                        new StoreCredentials.AccessKeys(S3.accessKeyId(), S3.secretAccessKey(), null),
                        Optional.of(S3.caPem())));
        GeneratedSource source = new GeneratedSource(512 * MIB, 11);
        store.probe();
        long before = usedHeapAfterGc();
        HeapSampler sampler = HeapSampler.start();

        long start = System.nanoTime();
        copier.replicate(job(source, store), (c, t) -> {});
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        long peakLive = sampler.stop() - before;
        long growth = usedHeapAfterGc() - before;
        System.out.printf(
                "S3ObjectStoreIT: 512 MiB copied in %d ms; heap growth after GC %.1f MiB, peak live heap during"
                        + " the copy %.1f MiB above the start%n",
                took.toMillis(), growth / (double) MIB, peakLive / (double) MIB);
        assertThat(growth).isLessThan(64 * MIB);
        assertThat(peakLive).isLessThan(64 * MIB);
        assertThat(store.verify(KEY, source.sha256(), source.size())).isTrue();
        JsonNode head = headWithChecksum("memory", OBJECT);
        assertThat(head.path("ContentLength").asLong()).isEqualTo(512 * MIB);
        assertThat(head.path("ChecksumSHA256").asText()).endsWith("-32");
    }

    // ---- helpers

    /**
     * Creates a bucket with the SDK: quicker than the aws CLI, which starts a Python each time, and
     * what the tests check is read back with the CLI all the same.
     */
    private void createBucket(String bucket) {
        try (S3Clients.Lease lease = clients.s3(connection(
                "s3://" + bucket,
                new StoreCredentials.AccessKeys(S3.accessKeyId(), S3.secretAccessKey(), null),
                Optional.of(S3.caPem())))) {
            lease.client().createBucket(request -> request.bucket(bucket));
        } catch (StoreUnavailableException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Kills the server at once, as a crash would: {@link S3Server#stop()} sends SIGTERM first, on
     * which versitygw takes seconds to shut down, and waits with a request in flight until SIGKILL
     * follows 10 s later.
     */
    private static void crashServer() throws Exception {
        String address = "127.0.0.1:" + S3.port();
        List<ProcessHandle> servers = ProcessHandle.current()
                .children()
                .filter(process -> process.info().command().orElse("").endsWith("/versitygw"))
                .filter(process -> List.of(process.info().arguments().orElse(new String[0]))
                        .contains(address))
                .toList();
        assertThat(servers).as("the versitygw process on %s", address).hasSize(1);
        servers.get(0).destroyForcibly();
        servers.get(0).onExit().get(10, TimeUnit.SECONDS);
        S3.stop();
    }

    private ObjectStore store(String endpoint) {
        return store(
                endpoint,
                new StoreCredentials.AccessKeys(S3.accessKeyId(), S3.secretAccessKey(), null),
                Optional.of(S3.caPem()));
    }

    /** A store of small parts, so that a test image of a few MiB has several. */
    private ObjectStore store(String endpoint, StoreCredentials credentials, Optional<String> caPem) {
        try {
            return new S3ObjectStore(clients, connection(endpoint, credentials, caPem), SMALL_PARTS);
        } catch (StoreUnavailableException e) {
            throw new IllegalStateException(e);
        }
    }

    private static StoreConnection connection(String endpoint, StoreCredentials credentials, Optional<String> caPem) {
        return new StoreConnection(
                URI.create(endpoint),
                Optional.of(new StoreConnection.S3Service(S3.url(), S3.region(), true)),
                credentials,
                caPem);
    }

    private static CopyJob job(TestSource source, String sha256, ObjectStore store) {
        return new CopyJob(KEY, source, sha256, (long) source.size(), store);
    }

    private static CopyJob job(GeneratedSource source, ObjectStore store) {
        return new CopyJob(KEY, source, source.sha256(), source.size(), store);
    }

    /** The keys of the uploads in progress in {@code bucket}, as the aws CLI lists them. */
    private static List<String> multipartUploads(String bucket) throws IOException {
        JsonNode listing = JSON.readTree(
                succeed(S3.cli().run("s3api", "list-multipart-uploads", "--bucket", bucket, "--output", "json"))
                        .out());
        List<String> keys = new ArrayList<>();
        listing.path("Uploads").forEach(upload -> keys.add(upload.path("Key").asText()));
        return keys;
    }

    private static JsonNode headWithChecksum(String bucket, String key) throws IOException {
        return JSON.readTree(succeed(S3.cli()
                        .run(
                                "s3api",
                                "head-object",
                                "--bucket",
                                bucket,
                                "--key",
                                key,
                                "--checksum-mode",
                                "ENABLED",
                                "--output",
                                "json"))
                .out());
    }

    private static Commands.Result succeed(Commands.Result result) {
        assertThat(result.succeeded()).as("aws failed: %s", result.stderr()).isTrue();
        return result;
    }

    /** Neither the keys of the server nor the wrong secret of the tests show anywhere in the failure or its causes. */
    private static void assertNoCredentials(Throwable failure) {
        assertThat(failure).isNotNull();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            for (String text : new String[] {t.getMessage(), t.toString()}) {
                assertThat(String.valueOf(text))
                        .doesNotContain(S3.accessKeyId())
                        .doesNotContain(S3.secretAccessKey())
                        .doesNotContain(WRONG_SECRET);
            }
            for (Throwable suppressed : t.getSuppressed()) {
                assertNoCredentials(suppressed);
            }
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * The highest heap use left after a collection while a copy runs: what the copy keeps alive,
     * without the garbage that plain heap use includes between collections.
     */
    private static final class HeapSampler {
        private final Thread thread;
        private final AtomicLong peak = new AtomicLong();
        private volatile boolean stopped;

        private HeapSampler() {
            thread = new Thread(this::sample, "heap-sampler");
            thread.setDaemon(true);
        }

        static HeapSampler start() {
            HeapSampler sampler = new HeapSampler();
            sampler.thread.start();
            return sampler;
        }

        long stop() throws InterruptedException {
            stopped = true;
            thread.join();
            return peak.get();
        }

        private void sample() {
            while (!stopped) {
                long live = 0;
                for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                        live += pool.getCollectionUsage().getUsed();
                    }
                }
                peak.accumulateAndGet(live, Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /**
     * An image of any size made up as it is read, never held in memory: each MiB comes from a
     * random generator seeded by the MiB's number, so every read of the source gives the same bytes.
     * It can pause at one offset until the test lets it go on.
     */
    private static final class GeneratedSource implements ImageSource {
        private final long size;
        private final long seed;
        private final String sha256;
        private final long pauseAt;
        private final CountDownLatch paused;
        private final CountDownLatch resume;

        GeneratedSource(long size, long seed) {
            this(size, seed, null, -1, null, null);
        }

        private GeneratedSource(
                long size, long seed, String sha256, long pauseAt, CountDownLatch paused, CountDownLatch resume) {
            this.size = size;
            this.seed = seed;
            this.pauseAt = pauseAt;
            this.paused = paused;
            this.resume = resume;
            this.sha256 = sha256 != null ? sha256 : digest();
        }

        /** The same source, whose reads stop at {@code offset}, count {@code reached} down and wait for {@code go}. */
        GeneratedSource pausingAt(long offset, CountDownLatch reached, CountDownLatch go) {
            return new GeneratedSource(size, seed, sha256, offset, reached, go);
        }

        GeneratedSource withoutPause() {
            return new GeneratedSource(size, seed, sha256, -1, null, null);
        }

        String sha256() {
            return sha256;
        }

        long size() {
            return size;
        }

        @Override
        public URI uri() {
            return URI.create("test:generated-" + seed);
        }

        @Override
        public long probeSize() {
            return size;
        }

        @Override
        public InputStream open() {
            return new Stream();
        }

        private String digest() {
            try (InputStream in = new Stream()) {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                byte[] buffer = new byte[(int) MIB];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                }
                return HexFormat.of().formatHex(digest.digest());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        private final class Stream extends BlockInputStream {
            private final byte[] block = new byte[(int) MIB];
            private long position;
            private long blockNumber = -1;

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (position == pauseAt) {
                    paused.countDown();
                    try {
                        if (!resume.await(60, TimeUnit.SECONDS)) {
                            throw new IOException("the test never resumed the source");
                        }
                    } catch (InterruptedException e) {
                        throw new InterruptedIOException("interrupted while paused");
                    }
                }
                if (position == size) {
                    return -1;
                }
                long number = position / MIB;
                if (number != blockNumber) {
                    new SplittableRandom(seed * 1_000_003 + number).nextBytes(block);
                    blockNumber = number;
                }
                int inBlock = (int) (position % MIB);
                long end = Math.min(size, (number + 1) * MIB);
                if (pauseAt > position) {
                    end = Math.min(end, pauseAt);
                }
                int n = (int) Math.min(length, end - position);
                System.arraycopy(block, inBlock, buffer, offset, n);
                position += n;
                return n;
            }
        }
    }
}
