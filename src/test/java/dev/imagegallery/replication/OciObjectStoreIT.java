package dev.imagegallery.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegallery.testing.Commands;
import dev.imagegallery.testing.OciRegistry;
import dev.imagegallery.testing.Skopeo;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code oci://} store against a real registry (Debian's docker-registry, htpasswd, TLS from a
 * test CA), read back with skopeo: a verified copy becomes a containerDisk image with its
 * annotations, only once committed; refusals, a registry that goes away mid-upload, deletes, images
 * pushed by skopeo read as sources, and the memory a large upload takes.
 */
class OciObjectStoreIT {
    @RegisterExtension
    static final OciRegistry REGISTRY = new OciRegistry();

    private static final int SIZE = 3 * 1024 * 1024 + 17;
    /** The disks the tests of latest move between: a layer each, quick to pull. */
    private static final int SMALL = 64 * 1024 + 3;

    private static final long MiB = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StoreClients clients = new StoreClients(Duration.ofSeconds(5));
    private final VerifiedCopier copier =
            new VerifiedCopier(new NoMetrics(), Duration.ofMillis(100), WriteFence.open("test"));

    @TempDir
    Path tmp;

    @Test
    void aVerifiedCopyBecomesAContainerDiskImageThatSkopeoReadsBack() throws IOException {
        ObjectStore store = store(REGISTRY.password());
        ReplicaKey key = key("ubuntu");
        TestSource source = TestSource.random(SIZE, 1);

        copier.replicate(job(key, source, source.sha256(), store), (copied, total) -> {});

        Skopeo skopeo = REGISTRY.skopeo();
        String image = image(key);
        JsonNode manifest = JSON.readTree(skopeo.inspectRaw(image));
        assertThat(manifest.get("mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
        JsonNode annotations = manifest.get("annotations");
        assertThat(annotations.get("imagegallery.dev/sha256").asText()).isEqualTo(source.sha256());
        assertThat(annotations.get("imagegallery.dev/size").asText()).isEqualTo(String.valueOf(SIZE));
        assertThat(annotations.get("imagegallery.dev/replica-index").asText()).isEqualTo("0");
        assertThat(annotations.get("org.opencontainers.image.title").asText()).isEqualTo("team-a/main/ubuntu/1.2.0");
        assertThat(manifest.get("layers")).hasSize(1);
        assertThat(manifest.get("layers").get(0).get("mediaType").asText())
                .isEqualTo("application/vnd.oci.image.layer.v1.tar");

        Path copied = skopeo.copyToDir(image, tmp.resolve("copied"));
        Skopeo.LayerFile disk = Skopeo.fileInLayer(Skopeo.layerBlob(copied, 0), "/disk/ubuntu-1.2.0.img");
        assertThat(disk.sha256()).isEqualTo(source.sha256());
        assertThat(disk.size()).isEqualTo(SIZE);
        assertThat(disk.uid()).isEqualTo(107);
        assertThat(disk.gid()).isEqualTo(107);
        assertThat(disk.mode()).isEqualTo(0444);
        JsonNode config = JSON.readTree(
                copied.resolve(manifest.get("config").get("digest").asText().substring("sha256:".length()))
                        .toFile());
        assertThat(config.get("os").asText()).isEqualTo("linux");
        assertThat(config.get("architecture").asText()).isEqualTo("amd64");
        assertThat(config.get("rootfs").get("diff_ids").get(0).asText())
                .isEqualTo(manifest.get("layers").get(0).get("digest").asText());

        assertThat(store.verify(key, source.sha256(), SIZE)).isTrue();
        assertThat(store.verify(key, source.sha256(), SIZE - 1)).isFalse();
        assertThat(store.verify(key, "0".repeat(64), SIZE)).isFalse();
        assertThat(store.verify(new ReplicaKey(key.version(), key.region(), 1), source.sha256(), SIZE))
                .as("the image of replica 0 does not vouch for replica 1")
                .isFalse();
        copier.replicate(job(key, source, source.sha256(), store), (copied1, total) -> {});
        assertThat(source.opens()).as("found in place, not copied again").isEqualTo(1);

        ImageSource readBack = store.source(URI.create("oci://" + repository(key) + "@" + skopeo.digest(image)));
        assertThat(readBack.probeSize()).isEqualTo(SIZE);
        assertThat(TestSource.sha256(readBack)).isEqualTo(source.sha256());
    }

    @Test
    void aStagedImageIsInvisibleUntilCommittedAndClosingWithoutCommitLeavesNoTag() throws IOException {
        ObjectStore store = store(REGISTRY.password());
        ReplicaKey key = key("staged");
        TestSource source = TestSource.random(1000, 2);

        try (ObjectStore.StagedObject staged =
                store.stage(key, new Attempt(source.sha256(), WriteFence.open("test"), 1), source.open(), 1000)) {
            assertThat(store.verify(key, source.sha256(), 1000)).isFalse();
            assertThat(REGISTRY.skopeo().tryInspectRaw(image(key)).succeeded()).isFalse();
        }
        assertThat(REGISTRY.skopeo().tryInspectRaw(image(key)).succeeded()).isFalse();

        try (ObjectStore.StagedObject staged =
                store.stage(key, new Attempt(source.sha256(), WriteFence.open("test"), 1), source.open(), 1000)) {
            staged.commit();
        }
        assertThat(store.verify(key, source.sha256(), 1000)).isTrue();
    }

    @Test
    void aDigestMismatchLeavesNoTag() {
        ObjectStore store = store(REGISTRY.password());
        ReplicaKey key = key("mismatch");
        TestSource source = TestSource.random(SIZE, 3);

        assertThatThrownBy(() -> copier.replicate(job(key, source, "0".repeat(64), store), (copied, total) -> {}))
                .isInstanceOf(DigestMismatchException.class);

        Commands.Result inspect = REGISTRY.skopeo().tryInspectRaw(image(key));
        assertThat(inspect.succeeded()).isFalse();
        assertThat(inspect.stderr()).containsIgnoringCase("manifest unknown");
    }

    @Test
    void aWrongPasswordIsRefusedOnProbeAndCopyWithoutShowingIt() {
        String wrong = "igotest-not-the-password";
        ObjectStore store = store(wrong);
        ReplicaKey key = key("refused");
        TestSource source = TestSource.random(1000, 4);

        assertThatThrownBy(store::probe)
                .isInstanceOfSatisfying(
                        StoreUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(FailureReason.AuthenticationFailed))
                .hasMessageStartingWith("cannot list the tags of gallery in store " + endpoint() + ": HTTP 401")
                .message()
                .doesNotContain(wrong, REGISTRY.username());
        assertThatThrownBy(() -> copier.replicate(job(key, source, source.sha256(), store), (copied, total) -> {}))
                .isInstanceOfSatisfying(
                        StoreUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(FailureReason.AuthenticationFailed))
                .message()
                .doesNotContain(wrong);
        assertThat(store.toString()).doesNotContain(wrong);
    }

    @Test
    void aCaThatDidNotSignTheRegistryMakesTheCertificateInvalid() throws IOException {
        ObjectStore store =
                store(endpoint(), REGISTRY.password(), REGISTRY.pki().otherCaPem());

        assertThatThrownBy(store::probe)
                .isInstanceOfSatisfying(
                        StoreUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(FailureReason.CertificateInvalid));
        TestSource source = TestSource.random(1000, 5);
        assertThatThrownBy(() ->
                        copier.replicate(job(key("untrusted"), source, source.sha256(), store), (copied, total) -> {}))
                .isInstanceOfSatisfying(
                        StoreUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(FailureReason.CertificateInvalid));
    }

    @Test
    void theProbePassesWithThePasswordAndTheCa() {
        assertThatNoException().isThrownBy(store(REGISTRY.password())::probe);
    }

    @Test
    void aRegistryStoppedMidUploadIsUnavailableLeavesNoTagAndTheSameCopySucceedsAfterItsRestart() throws Exception {
        ObjectStore store = store(REGISTRY.password());
        ReplicaKey key = key("restarted");
        long size = 32 * MiB;
        CountDownLatch halfway = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        GeneratedSource pausing = new GeneratedSource(size, 6).pausingAt(size / 2, halfway, resume);
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread copy = new Thread(() -> {
            try {
                copier.replicate(job(key, pausing, pausing.sha256(), store), (copied, total) -> {});
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        copy.start();
        assertThat(halfway.await(20, TimeUnit.SECONDS)).isTrue();

        REGISTRY.stop();
        try {
            assertThat(outcome.get(20, TimeUnit.SECONDS))
                    .isInstanceOfSatisfying(
                            StoreUnavailableException.class,
                            e -> assertThat(e.reason()).isEqualTo(FailureReason.StoreUnavailable))
                    .hasMessageStartingWith("cannot push the layer of gallery/team-a/main/restarted:1.2.0 in store "
                            + endpoint() + ": ");
        } finally {
            resume.countDown();
            REGISTRY.start();
        }
        assertThat(REGISTRY.skopeo().tryInspectRaw(image(key)).succeeded()).isFalse();

        GeneratedSource again = new GeneratedSource(size, 6);
        copier.replicate(job(key, again, again.sha256(), store), (copied, total) -> {});

        assertThat(store.verify(key, again.sha256(), size)).isTrue();
        assertThat(REGISTRY.skopeo()
                        .fileInImage(image(key), 0, "/disk/restarted-1.2.0.img")
                        .sha256())
                .isEqualTo(again.sha256());
    }

    @Test
    void interruptingAnUploadCancelsItAndLeavesNoTag() throws Exception {
        ObjectStore store = store(REGISTRY.password());
        ReplicaKey key = key("interrupted");
        CountDownLatch halfway = new CountDownLatch(1);
        // Held halfway, so that the interrupt comes while the layer is being sent.
        TestSource source = TestSource.random(4 * SIZE, 10).stallingAt(2L * SIZE, halfway);
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread copy = new Thread(() -> {
            try {
                copier.replicate(job(key, source, source.sha256(), store), (copied, total) -> {});
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
        assertThat(REGISTRY.skopeo().tryInspectRaw(image(key)).succeeded()).isFalse();
    }

    @Test
    void deleteRemovesTheTagAndCanBeRepeated() throws IOException {
        ObjectStore store = store(REGISTRY.password());
        ReplicaKey key = key("deleted");
        TestSource source = TestSource.random(1000, 7);
        copier.replicate(job(key, source, source.sha256(), store), (copied, total) -> {});
        String repository = repository(key);
        assertThat(REGISTRY.skopeo().tags(repository)).containsExactly("1.2.0");

        store.delete(new ReplicaKey(key.version(), key.region(), 1));
        assertThat(REGISTRY.skopeo().tags(repository))
                .as("replica 1's delete leaves replica 0's image")
                .containsExactly("1.2.0");

        store.delete(key);
        store.delete(key);

        assertThat(REGISTRY.skopeo().tags(repository)).isEmpty();
        assertThat(store.verify(key, source.sha256(), 1000)).isFalse();
    }

    @Test
    void anImagePushedBySkopeoIsReadAsASourceByItsDigest() throws IOException {
        byte[] content = new byte[2 * 1024 * 1024 + 3];
        new Random(8).nextBytes(content);
        Path disk = Files.write(tmp.resolve("cirros.img"), content);
        Skopeo.PushedImage pushed = REGISTRY.pushDiskImage("gallery/vendor/cirros", "0.6.2", disk);
        ObjectStore store = store(REGISTRY.password());

        ImageSource source = store.source(URI.create("oci://" + pushed.byDigest()));

        assertThat(source.probeSize()).as("from the tar header").isEqualTo(content.length);
        assertThat(TestSource.sha256(source)).isEqualTo(pushed.diskSha256()).isEqualTo(TestSource.sha256(content));

        ImageSource missing = store.source(
                URI.create("oci://" + REGISTRY.host() + "/gallery/vendor/cirros@sha256:" + "0".repeat(64)));
        assertThatThrownBy(missing::probeSize)
                .isInstanceOf(SourceUnreachableException.class)
                .hasMessageContaining("oci://" + REGISTRY.host() + "/gallery/vendor/cirros@sha256:")
                .hasMessageContaining("HTTP 404")
                .message()
                .doesNotContain(REGISTRY.password());
        assertThatThrownBy(() ->
                        store.source(URI.create("oci://" + REGISTRY.host() + "/elsewhere/cirros@" + pushed.digest())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not an image below store " + endpoint());
        assertThatThrownBy(() -> store.source(URI.create("oci://" + pushed.reference())))
                .as("by tag")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aReplicaIsReadByTheDigestItsTagNamesAndCopiedOnToAnotherStore() throws IOException {
        ObjectStore store = store(REGISTRY.password());
        ReplicaKey key = key("fanout");
        TestSource source = TestSource.random(SIZE, 11);
        copier.replicate(job(key, source, source.sha256(), store), (copied, total) -> {});
        Skopeo skopeo = REGISTRY.skopeo();
        String digest = skopeo.digest(image(key));

        assertThat(store.location(key)).isEqualTo("team-a/main/fanout:1.2.0@" + digest);
        ImageSource replica = store.replica(key, SIZE);
        assertThat(replica.uri()).hasToString("oci://" + repository(key) + "@" + digest);
        assertThat(replica.probeSize()).isEqualTo(SIZE);
        assertThat(TestSource.sha256(replica)).isEqualTo(source.sha256());

        ObjectStore mirror = store("oci://" + REGISTRY.host() + "/mirror", REGISTRY.password());
        copier.replicate(new CopyJob(key, replica, source.sha256(), (long) SIZE, mirror), (copied, total) -> {});
        assertThat(skopeo.fileInImage(REGISTRY.host() + "/mirror/team-a/main/fanout:1.2.0", 0, "/disk/fanout-1.2.0.img")
                        .sha256())
                .isEqualTo(source.sha256());

        // The version's tag moves to other bytes: the source already made still reads the ones it was made for.
        TestSource other = TestSource.random(SIZE, 12);
        copier.replicate(job(key, other, other.sha256(), store), (copied, total) -> {});
        assertThat(skopeo.digest(image(key))).isNotEqualTo(digest);
        assertThat(TestSource.sha256(replica)).isEqualTo(source.sha256());
        assertThat(store.location(key)).isEqualTo("team-a/main/fanout:1.2.0@" + skopeo.digest(image(key)));
    }

    @Test
    void aReplicaThatIsMissingOrRefusedFailsNamingItAndTheStoreWithoutCredentials() throws IOException {
        ObjectStore store = store(REGISTRY.password());
        ReplicaKey key = key("replica-failures");
        TestSource source = TestSource.random(1000, 13);
        copier.replicate(job(key, source, source.sha256(), store), (copied, total) -> {});
        ReplicaKey otherIndex = new ReplicaKey(key.version(), key.region(), 1);
        String wrong = "igotest-not-the-password";

        assertThatThrownBy(() -> store.replica(key("never-written"), 1000))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessage("replica westeurope:team-a/main/never-written/1.2.0/0 is not in store " + endpoint());
        assertThatThrownBy(() -> store.location(key("never-written")))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessage("replica westeurope:team-a/main/never-written/1.2.0/0 is not in store " + endpoint());
        assertThatThrownBy(() -> store.replica(otherIndex, 1000))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessage("replica westeurope:team-a/main/replica-failures/1.2.0/1 is not in store " + endpoint()
                        + ": gallery/team-a/main/replica-failures:1.2.0 holds replica 0 of the version");
        assertThatThrownBy(() -> store.replica(key, 999))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageStartingWith("replica westeurope:team-a/main/replica-failures/1.2.0/0 in store " + endpoint()
                        + " is not the complete replica");
        assertThatThrownBy(() -> store(wrong).replica(key, 1000))
                .isInstanceOfSatisfying(
                        StoreUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(FailureReason.AuthenticationFailed))
                .hasMessageStartingWith("cannot find replica westeurope:team-a/main/replica-failures/1.2.0/0 in store "
                        + endpoint() + ": HTTP 401")
                .message()
                .doesNotContain(wrong, REGISTRY.password());
        assertThatThrownBy(() -> store(
                                endpoint(), REGISTRY.password(), REGISTRY.pki().otherCaPem())
                        .replica(key, 1000))
                .isInstanceOfSatisfying(
                        StoreUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(FailureReason.CertificateInvalid));
    }

    @Test
    void latestFollowsTheVersionItIsMovedToAndStaysPutWithoutAPushWhenItIsThereAlready() throws IOException {
        TwoVersions moving = twoVersions("moving", 21);
        Skopeo skopeo = REGISTRY.skopeo();

        moving.moveLatestTo(Optional.of(moving.a()));

        assertThat(moving.disk("latest", "1.0.0")).isEqualTo(moving.a().sha256());
        JsonNode latestOfA = JSON.readTree(skopeo.inspectRaw(moving.ref("latest")));
        JsonNode versionA = JSON.readTree(skopeo.inspectRaw(moving.ref("1.0.0")));
        assertThat(latestOfA
                        .get("annotations")
                        .get("imagegallery.dev/latest-of")
                        .asText())
                .isEqualTo("1.0.0");
        assertThat(latestOfA.get("layers"))
                .as("the version's layer, not uploaded again")
                .isEqualTo(versionA.get("layers"));
        assertThat(latestOfA.get("config")).isEqualTo(versionA.get("config"));
        String latestOfADigest = skopeo.digest(moving.ref("latest"));
        assertThat(latestOfADigest)
                .as("a manifest of its own, which deleting by digest can remove alone")
                .isNotEqualTo(skopeo.digest(moving.ref("1.0.0")));

        moving.moveLatestTo(Optional.of(moving.b()));

        assertThat(moving.disk("latest", "1.1.0")).isEqualTo(moving.b().sha256());
        assertThat(moving.tags()).containsExactly("1.0.0", "1.1.0", "latest");
        assertThat(skopeo.tryInspectRaw(moving.repository() + "@" + latestOfADigest)
                        .stderr())
                .as("the previous latest manifest is deleted once no tag names it")
                .containsIgnoringCase("manifest unknown");
        String latestOfBDigest = skopeo.digest(moving.ref("latest"));

        moving.moveLatestTo(Optional.of(moving.b()));

        assertThat(skopeo.digest(moving.ref("latest"))).isEqualTo(latestOfBDigest);
        assertThat(latestPushes("gallery/team-a/main/moving"))
                .as("PUTs of the tag in the registry's access log: A, then B, and none for the second B")
                .isEqualTo(2);
    }

    @Test
    void removingLatestLeavesEveryVersionPullable() throws IOException {
        TwoVersions unlatest = twoVersions("unlatest", 23);
        unlatest.moveLatestTo(Optional.of(unlatest.b()));

        unlatest.moveLatestTo(Optional.empty());
        unlatest.moveLatestTo(Optional.empty());

        assertThat(REGISTRY.skopeo().tryInspectRaw(unlatest.ref("latest")).stderr())
                .containsIgnoringCase("manifest unknown");
        assertThat(unlatest.tags()).containsExactly("1.0.0", "1.1.0");
        assertThat(unlatest.disk("1.0.0", "1.0.0")).isEqualTo(unlatest.a().sha256());
        assertThat(unlatest.disk("1.1.0", "1.1.0")).isEqualTo(unlatest.b().sha256());
        assertThat(unlatest.verifies(unlatest.b())).isTrue();
    }

    @Test
    void aLatestImageThatIsNotTheVerifiedReplicaIsRefusedAndTheTagStaysWhereItWas() throws IOException {
        TwoVersions unverified = twoVersions("unverified", 25);
        ObjectStore.LatestImage b = unverified.b();
        unverified.moveLatestTo(Optional.of(unverified.a()));
        String before = REGISTRY.skopeo().digest(unverified.ref("latest"));
        String refusal = "cannot move gallery/team-a/main/unverified:latest to 1.1.0 in store " + endpoint()
                + ": the image tagged 1.1.0 is not the verified replica westeurope:team-a/main/unverified/1.1.0/0";

        assertThatThrownBy(() -> unverified.moveLatestTo(
                        Optional.of(new ObjectStore.LatestImage(b.replica(), "0".repeat(64), b.sizeBytes()))))
                .isInstanceOfSatisfying(
                        StoreUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(FailureReason.StoreUnavailable))
                .hasMessageStartingWith(refusal)
                .hasMessageEndingWith("latest left as it was");
        assertThatThrownBy(() -> unverified.moveLatestTo(
                        Optional.of(new ObjectStore.LatestImage(b.replica(), b.sha256(), b.sizeBytes() + 1))))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageStartingWith(refusal);
        ReplicaKey otherIndex = new ReplicaKey(b.replica().version(), "westeurope", 1);
        assertThatThrownBy(() -> unverified.moveLatestTo(
                        Optional.of(new ObjectStore.LatestImage(otherIndex, b.sha256(), b.sizeBytes()))))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("holds replica 0 of the version");
        ReplicaKey neverWritten = new ReplicaKey(unverified.definition().version("9.9.9"), "westeurope", 0);
        assertThatThrownBy(() -> unverified.moveLatestTo(
                        Optional.of(new ObjectStore.LatestImage(neverWritten, b.sha256(), b.sizeBytes()))))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("is not in store");
        assertThatThrownBy(() ->
                        unverified.store().moveLatest(new DefinitionKey("team-a", "main", "moving"), Optional.of(b)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store("igotest-not-the-password").moveLatest(unverified.definition(), Optional.of(b)))
                .isInstanceOfSatisfying(
                        StoreUnavailableException.class,
                        e -> assertThat(e.reason()).isEqualTo(FailureReason.AuthenticationFailed))
                .message()
                .doesNotContain("igotest-not-the-password", REGISTRY.password());

        assertThat(REGISTRY.skopeo().digest(unverified.ref("latest"))).isEqualTo(before);
        assertThat(unverified.disk("latest", "1.0.0")).isEqualTo(unverified.a().sha256());
    }

    @Test
    void deletingTheLatestVersionLeavesLatestPullableUntilItMovesBackToTheOlderVersion() throws IOException {
        TwoVersions rollback = twoVersions("rollback", 27);
        rollback.moveLatestTo(Optional.of(rollback.b()));

        rollback.store().delete(rollback.b().replica());

        assertThat(rollback.tags()).containsExactly("1.0.0", "latest");
        assertThat(rollback.disk("latest", "1.1.0"))
                .as("not left naming nothing")
                .isEqualTo(rollback.b().sha256());

        rollback.moveLatestTo(Optional.of(rollback.a()));

        assertThat(rollback.disk("latest", "1.0.0")).isEqualTo(rollback.a().sha256());
        assertThat(rollback.tags()).containsExactly("1.0.0", "latest");
        assertThat(rollback.verifies(rollback.a())).isTrue();
    }

    @Test
    void aLatestTagSomeoneElseWroteIsOverwrittenByAMoveButNeverDeleted() throws IOException {
        TwoVersions foreign = twoVersions("foreign", 29);
        // Version 1.0.0's own manifest under latest: deleting it by digest would untag 1.0.0 too.
        REGISTRY.skopeo().copy(foreign.ref("1.0.0"), foreign.ref("latest"));

        assertThatThrownBy(() -> foreign.moveLatestTo(Optional.empty()))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("without imagegallery.dev/latest-of");
        assertThat(foreign.tags()).containsExactly("1.0.0", "1.1.0", "latest");

        foreign.moveLatestTo(Optional.of(foreign.b()));

        assertThat(foreign.disk("latest", "1.1.0")).isEqualTo(foreign.b().sha256());
        assertThat(foreign.tags()).containsExactly("1.0.0", "1.1.0", "latest");
        assertThat(foreign.verifies(foreign.a())).isTrue();
    }

    @Test
    void aLargeUploadStreamsInBoundedMemory() throws Exception {
        ObjectStore store = store(REGISTRY.password());
        ReplicaKey key = key("large");
        long size = 512 * MiB;
        GeneratedSource source = new GeneratedSource(size, 9);
        String sha256 = source.sha256();

        long before = liveHeap();
        AtomicLong peak = new AtomicLong(before);
        AtomicBoolean copying = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (copying.get()) {
                peak.accumulateAndGet(liveHeap(), Math::max);
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        long start = System.nanoTime();
        sampler.start();
        try {
            copier.replicate(job(key, source, sha256, store), (copied, total) -> {});
        } finally {
            copying.set(false);
            sampler.join();
        }
        long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
        long after = liveHeap();
        peak.accumulateAndGet(after, Math::max);

        System.out.printf(
                "512 MiB pushed in %d s; live heap before %d MiB, highest during %d MiB, after %d MiB%n",
                seconds, before / MiB, peak.get() / MiB, after / MiB);
        assertThat(peak.get() - before).as("live heap growth").isLessThan(64 * MiB);
        assertThat(store.verify(key, sha256, size)).isTrue();
    }

    private ObjectStore store(String password) {
        return store(endpoint(), password);
    }

    private ObjectStore store(String endpoint, String password) {
        return store(endpoint, password, REGISTRY.caPem());
    }

    private ObjectStore store(String endpoint, String password, String caPem) {
        try {
            return ObjectStore.open(
                    new StoreConnection(
                            URI.create(endpoint),
                            Optional.empty(),
                            new StoreCredentials.UsernamePassword(REGISTRY.username(), password),
                            Optional.of(caPem)),
                    clients);
        } catch (StoreUnavailableException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Definition {@code name} of team-a's gallery main in this store, with random disks of {@value
     * #SMALL} bytes copied as replica 0 of its versions 1.0.0 ({@code a}) and 1.1.0 ({@code b}).
     */
    private TwoVersions twoVersions(String name, long seed) throws IOException {
        ObjectStore store = store(REGISTRY.password());
        DefinitionKey definition = new DefinitionKey("team-a", "main", name);
        List<ObjectStore.LatestImage> written = new ArrayList<>();
        for (String version : List.of("1.0.0", "1.1.0")) {
            ReplicaKey key = new ReplicaKey(definition.version(version), "westeurope", 0);
            TestSource source = TestSource.random(SMALL, seed + written.size());
            copier.replicate(job(key, source, source.sha256(), store), (copied, total) -> {});
            written.add(new ObjectStore.LatestImage(key, source.sha256(), SMALL));
        }
        return new TwoVersions(
                store, definition, written.get(0), written.get(1), REGISTRY.host() + "/gallery/team-a/main/" + name);
    }

    /** A definition with two versions in a registry store, and what skopeo reads of its repository. */
    private record TwoVersions(
            ObjectStore store,
            DefinitionKey definition,
            ObjectStore.LatestImage a,
            ObjectStore.LatestImage b,
            String repository) {
        void moveLatestTo(Optional<ObjectStore.LatestImage> latest) throws StoreUnavailableException {
            store.moveLatest(definition, latest);
        }

        String ref(String tag) {
            return repository + ":" + tag;
        }

        List<String> tags() {
            return REGISTRY.skopeo().tags(repository);
        }

        /** The sha256 of the disk of {@code version} in the image tagged {@code tag}, as skopeo pulls it. */
        String disk(String tag, String version) {
            return REGISTRY.skopeo()
                    .fileInImage(ref(tag), 0, "/disk/" + definition.definition() + "-" + version + ".img")
                    .sha256();
        }

        boolean verifies(ObjectStore.LatestImage image) throws StoreUnavailableException {
            return store.verify(image.replica(), image.sha256(), image.sizeBytes());
        }
    }

    /**
     * How many PUTs of {@code repository}'s tag latest the registry's access log shows, once it shows
     * a request made after every call before this one: a request's line is written before its answer.
     */
    private static long latestPushes(String repository) throws IOException {
        String marker =
                "sha256:" + TestSource.sha256(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        REGISTRY.skopeo().tryInspectRaw(REGISTRY.host() + "/" + repository + "@" + marker);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> Files.readString(REGISTRY.logFile()).contains("/manifests/" + marker));
        try (Stream<String> lines = Files.lines(REGISTRY.logFile())) {
            return lines.filter(line -> line.contains("\"PUT /v2/" + repository + "/manifests/latest HTTP/"))
                    .count();
        }
    }

    private static String endpoint() {
        return "oci://" + REGISTRY.host() + "/gallery";
    }

    private static ReplicaKey key(String definition) {
        return new ReplicaKey(new VersionKey("team-a", "main", definition, "1.2.0"), "westeurope", 0);
    }

    /** {@code host/gallery/team-a/main/<definition>}. */
    private static String repository(ReplicaKey key) {
        return REGISTRY.host() + "/gallery/" + key.version().namespace() + "/"
                + key.version().gallery() + "/" + key.version().definition();
    }

    private static String image(ReplicaKey key) {
        return repository(key) + ":" + key.version().version();
    }

    private static CopyJob job(ReplicaKey key, ImageSource source, String sha256, ObjectStore store)
            throws IOException {
        return new CopyJob(key, source, sha256, source.probeSize(), store);
    }

    /** The heap's live bytes, after a full collection. */
    private static long liveHeap() {
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /**
     * {@code size} bytes made while read, never held: a random block of 64 KiB, repeated with each
     * repetition's number written into its first bytes. It can pause once at a given byte.
     */
    private static final class GeneratedSource implements ImageSource {
        private static final int BLOCK = 1 << 16;
        private final long size;
        private final byte[] block = new byte[BLOCK];
        private long pauseAt = -1;
        private CountDownLatch paused;
        private CountDownLatch resume;

        GeneratedSource(long size, long seed) {
            this.size = size;
            new Random(seed).nextBytes(block);
        }

        /** The first stream stops at {@code bytes}, counts {@code reached} down and goes on once {@code resumed}. */
        GeneratedSource pausingAt(long bytes, CountDownLatch reached, CountDownLatch resumed) {
            this.pauseAt = bytes;
            this.paused = reached;
            this.resume = resumed;
            return this;
        }

        String sha256() throws IOException {
            MessageDigest digest = ContainerDiskLayer.sha256();
            try (InputStream in = new Generated(false)) {
                byte[] buffer = new byte[BLOCK];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    digest.update(buffer, 0, n);
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        }

        @Override
        public URI uri() {
            return URI.create("test:generated-" + size);
        }

        @Override
        public long probeSize() {
            return size;
        }

        @Override
        public InputStream open() {
            return new Generated(pauseAt >= 0);
        }

        private final class Generated extends BlockInputStream {
            private final boolean pausing;
            private long position;

            Generated(boolean pausing) {
                this.pausing = pausing;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (position == size) {
                    return -1;
                }
                if (pausing && position == pauseAt && paused.getCount() > 0) {
                    paused.countDown();
                    try {
                        resume.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("generated source closed while paused");
                    }
                }
                long limit = pausing && position < pauseAt ? pauseAt : size;
                int inBlock = (int) (position % BLOCK);
                int n = (int) Math.min(Math.min(length, BLOCK - inBlock), limit - position);
                System.arraycopy(block, inBlock, buffer, offset, n);
                long repetition = position / BLOCK;
                for (int i = 0; i < 8 && inBlock + i < 8 && i < n; i++) {
                    buffer[offset + i] = (byte) (repetition >>> (8 * (7 - inBlock - i)));
                }
                position += n;
                return n;
            }
        }
    }
}
