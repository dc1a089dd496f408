package dev.imagegallery.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.replication.SourcePolicy;
import dev.imagegallery.testing.Await;
import dev.imagegallery.testing.Examples;
import dev.imagegallery.testing.Source;
import dev.imagegallery.testing.StoredFiles;
import dev.imagegallery.testing.TestCluster;
import dev.imagegallery.testing.TestOperator;
import dev.imagegallery.testing.TestRegions;
import dev.imagegallery.testing.TestSources;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tenant's attempts to make the operator read what is not theirs, each as the tenant would write
 * it: the refusal, and nothing of the target in status, conditions, Events or stores. The admin's
 * allow-list is the tests' own ({@link TestSources}): the examples' images, temporary files and a few
 * loopback ports.
 */
class SourceIsolationIT {

    private static final String VERSION = "ubuntu-22.04-1.0.0";

    /** Sources that do not answer give up quickly here. */
    @RegisterExtension
    static final TestOperator operator = TestOperator.withTestSettings(Map.of(
            "image-gallery.replication.request-timeout",
            "2s",
            "image-gallery.replication.read-timeout",
            "2s",
            "image-gallery.replication.max-attempts",
            "1"));

    private final KubernetesClient client = TestCluster.client();

    @TempDir
    Path tmp;

    private String ns;
    private String region;
    private Path store;
    // A file no allowed prefix covers: the operator's own service-account token stands in for it.
    private Path secret;
    private Source secretSource;
    private final List<AutoCloseable> servers = new ArrayList<>();

    @BeforeEach
    void tenantAndStore() throws IOException {
        ns = TestCluster.newNamespace("tenant");
        region = "iso-" + UUID.randomUUID().toString().substring(0, 6);
        store = Files.createDirectory(tmp.resolve("store"));
        TestRegions.create(client, region, Map.of("s", store.toUri().toString()));
        secret = Path.of("/var/tmp", "igo-secret-" + UUID.randomUUID());
        secretSource = Source.of(secret, 12_345);
    }

    @AfterEach
    void deleteTheSecretAndStopTheServers() throws Exception {
        Files.deleteIfExists(secret);
        for (AutoCloseable server : servers) {
            server.close();
        }
    }

    @Test
    void aFileOutsideTheAllowedPrefixesIsNotReadAndNothingOfItLeaks() throws Exception {
        createVersion(secret.toUri().toString(), "0".repeat(64), null);
        assertRefusedWithoutLeaks();
    }

    @Test
    void aWrongDigestOfTheRightFileStillLeaksNothing() throws Exception {
        createVersion(secret.toUri().toString(), secretSource.sha256(), null);
        assertRefusedWithoutLeaks();
    }

    @Test
    void anAllowedSourceWithAWrongDigestFailsWithoutTellingTheDigestItRead() throws Exception {
        Source allowed = Source.of(tmp.resolve("images/image.img"), 12_345);
        createVersion(allowed.path().toUri().toString(), "0".repeat(64), null);

        var stalled = Await.condition(client, ImageVersion.class, ns, VERSION, "Stalled", "True", "RegionFailed");
        assertThat(stalled.message).contains("DigestMismatch", "0".repeat(64));
        String status = client.getKubernetesSerialization()
                .asJson(client.resources(ImageVersion.class)
                        .inNamespace(ns)
                        .withName(VERSION)
                        .get()
                        .getStatus());
        String events = client.v1().events().inNamespace(ns).list().getItems().stream()
                .map(Event::getMessage)
                .toList()
                .toString();
        assertThat(status).doesNotContain(allowed.sha256());
        assertThat(events).contains("DigestMismatch").doesNotContain(allowed.sha256());
        assertThat(StoredFiles.under(store)).isEmpty();
    }

    @Test
    void aSymlinkOrADotDotInsideAnAllowedPrefixThatLeadsOutIsRefused() throws Exception {
        Path allowed = Files.createDirectory(tmp.resolve("images"));
        Path link = Files.createSymbolicLink(allowed.resolve("ubuntu.img"), secret);
        createVersion(link.toUri().toString(), secretSource.sha256(), null);
        assertRefusedWithoutLeaks();

        client.resources(ImageVersion.class)
                .inNamespace(ns)
                .withName(VERSION)
                .withTimeout(30, java.util.concurrent.TimeUnit.SECONDS)
                .delete();
        // Up to the root, then down to the secret.
        createVersion(
                allowed.toUri() + "../".repeat(allowed.getNameCount()) + "var/tmp/" + secret.getFileName(),
                secretSource.sha256(),
                null);
        assertRefusedWithoutLeaks();
    }

    @Test
    void aLoopbackServerOutsideTheAllowedPrefixesSeesNoRequest() throws Exception {
        List<String> requests = new CopyOnWriteArrayList<>();
        HttpServer loopback = recorder(0, requests);
        createVersion(
                "http://127.0.0.1:" + loopback.getAddress().getPort() + "/image.img", secretSource.sha256(), null);
        assertRefusedWithoutLeaks();
        assertThat(requests).as("requests the loopback server saw").isEmpty();
    }

    @Test
    void aRedirectFromAnAllowedSourceToLoopbackIsNotFollowed() throws Exception {
        List<String> loopbackRequests = new CopyOnWriteArrayList<>();
        HttpServer loopback = recorder(0, loopbackRequests);
        int allowedPort = TestSources.take();
        HttpServer allowed = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), allowedPort), 0);
        allowed.createContext("/", exchange -> {
            exchange.getResponseHeaders()
                    .add("Location", "http://127.0.0.1:" + loopback.getAddress().getPort() + "/secret");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        allowed.start();
        servers.add(() -> {
            allowed.stop(0);
            TestSources.release(allowedPort);
        });
        createVersion("http://127.0.0.1:" + allowedPort + "/image.img", secretSource.sha256(), null);
        assertRefusedWithoutLeaks();
        assertThat(loopbackRequests).as("requests the redirect target saw").isEmpty();
    }

    @Test
    void aSourceThatNeverAnswersDoesNotKeepAnotherTenantWaiting() throws Exception {
        int silentPort = TestSources.take();
        ServerSocket silent = new ServerSocket(silentPort, 50, InetAddress.getLoopbackAddress());
        List<Socket> held = new CopyOnWriteArrayList<>();
        Thread acceptor = new Thread(() -> {
            while (!silent.isClosed()) {
                try {
                    held.add(silent.accept());
                } catch (IOException closed) {
                    return;
                }
            }
        });
        acceptor.start();
        servers.add(() -> {
            silent.close();
            for (Socket socket : held) {
                socket.close();
            }
            TestSources.release(silentPort);
        });
        // Ten versions of one tenant whose source accepts connections and never answers...
        client.resource(Examples.get("Gallery", "contoso.images", ns)).create();
        client.resource(Examples.get("ImageDefinition", "ubuntu-22.04", ns)).create();
        for (int i = 0; i < 10; i++) {
            client.resource(Examples.version(
                            ns,
                            "silent-" + i,
                            "ubuntu-22.04",
                            "1.0." + i,
                            region,
                            "http://127.0.0.1:" + silentPort + "/image-" + i + ".img",
                            secretSource.sha256(),
                            null,
                            List.of(Map.of("name", region))))
                    .create();
        }
        // ...and another tenant's version, created after them.
        String other = TestCluster.newNamespace("other-tenant");
        Source image = Source.of(tmp.resolve("image/image.img"), 1 << 20);
        client.resource(Examples.get("Gallery", "contoso.images", other)).create();
        client.resource(Examples.get("ImageDefinition", "ubuntu-22.04", other)).create();
        Instant created = Instant.now();
        client.resource(Examples.version(
                        other,
                        VERSION,
                        "ubuntu-22.04",
                        "1.0.0",
                        region,
                        image.path().toUri().toString(),
                        image.sha256(),
                        null,
                        List.of(Map.of("name", region))))
                .create();
        Await.condition(client, ImageVersion.class, other, VERSION, "Ready", "True", "Replicated");
        Duration toReady = Duration.between(created, Instant.now());
        System.out.printf(
                "the other tenant's version was Ready %d ms after creation, beside 10 silent sources%n",
                toReady.toMillis());
        assertThat(toReady).isLessThan(Duration.ofSeconds(15));

        var waiting =
                Await.condition(client, ImageVersion.class, ns, "silent-0", "Reconciling", "True", "SourceUnreachable");
        assertThat(waiting.message).contains("timed out");
    }

    private void createVersion(String url, String sha256, Long size) {
        Examples.applyUbuntuDefinition(client, ns);
        client.resource(Examples.version(
                        ns,
                        VERSION,
                        "ubuntu-22.04",
                        "1.0.0",
                        region,
                        url,
                        sha256,
                        size,
                        List.of(Map.of("name", region))))
                .create();
    }

    /** The version refused with the policy's words, and nothing the operator could have read of the secret anywhere. */
    private void assertRefusedWithoutLeaks() throws IOException {
        var stalled = Await.condition(client, ImageVersion.class, ns, VERSION, "Stalled", "True", "SourceNotAllowed");
        assertThat(stalled.message).contains(SourcePolicy.SETTING);
        ImageVersion version = client.resources(ImageVersion.class)
                .inNamespace(ns)
                .withName(VERSION)
                .get();
        assertThat(version.getStatus().sizeBytes).as("status.sizeBytes").isNull();
        String status = client.getKubernetesSerialization().asJson(version.getStatus());
        String events = client.v1().events().inNamespace(ns).list().getItems().stream()
                .map(Event::getMessage)
                .toList()
                .toString();
        // Neither what the file holds, nor its size, nor whether it exists: the URL is the tenant's own, so it may
        // appear.
        for (String leak : List.of(
                secretSource.sha256(), String.valueOf(secretSource.size()), secret + " does not exist", "12 KiB")) {
            assertThat(status).as("status").doesNotContain(leak);
            assertThat(events).as("Events").doesNotContain(leak);
        }
        assertThat(StoredFiles.under(store)).as("the store").isEmpty();
    }

    private HttpServer recorder(int port, List<String> requests) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            exchange.sendResponseHeaders(200, 5);
            exchange.getResponseBody().write("token".getBytes());
            exchange.close();
        });
        server.start();
        servers.add(() -> server.stop(0));
        return server;
    }
}
