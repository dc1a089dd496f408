package dev.imagegallery.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A real OCI registry: Debian's {@code docker-registry} (distribution 2.8) on a free port of
 * 127.0.0.1, over TLS with a {@link TestPki} certificate, with htpasswd (bcrypt) authentication for
 * one user whose name and password are random for each instance, deletes enabled, and its storage in
 * a fresh temporary directory.
 *
 * <p>For a test class ({@code @RegisterExtension static}) or by hand ({@link #start()}, {@link
 * #close()}). {@link #stop()} then {@link #start()} brings it back on the same port with the same
 * repositories. {@link #skopeo()} reads back what the operator pushed with a client of its own;
 * {@link #pushDiskImage} pushes a source image without the operator. Without the binaries it fails,
 * telling how to install them: the tests that need it must not pass by being skipped.
 */
public final class OciRegistry implements TestServer {
    private final TestPki sharedPki;
    private TestPki pki;
    private Path home;
    private int port;
    private String username;
    private String password;
    private Process process;

    /** A registry with a PKI of its own. */
    public OciRegistry() {
        this(null);
    }

    /** A registry whose certificate comes from {@code pki}, which the caller closes. */
    public OciRegistry(TestPki pki) {
        this.sharedPki = pki;
    }

    /** Starts the registry: the first time on a new port with no repositories, afterwards on the same port and data. */
    public void start() {
        if (process != null) {
            throw new IllegalStateException("the registry is running already");
        }
        Path registry = Commands.find(
                "docker-registry",
                "install it with `apt-get install -y docker-registry` (hack/install-deps.sh does, and stops the"
                        + " packaged service)");
        try {
            if (home == null) {
                Path htpasswd = Commands.find(
                        "htpasswd", "install it with `apt-get install -y apache2-utils` (hack/install-deps.sh does)");
                pki = sharedPki != null ? sharedPki : TestPki.create();
                home = Files.createTempDirectory("registry-test-");
                Files.createDirectories(home.resolve("data"));
                port = NginxServer.freePort();
                username = "igotest" + S3Server.random(4);
                password = "igotest" + S3Server.random(12);
                // distribution accepts bcrypt entries only.
                String entry = Commands.succeed(
                                "htpasswd",
                                List.of(htpasswd.toString(), "-Bbn", username, password),
                                Map.of(),
                                home.resolve("log"))
                        .out();
                Files.writeString(home.resolve("htpasswd"), entry.strip() + "\n");
                Files.writeString(home.resolve("config.yml"), config());
            }
            process = Commands.startServer(
                    List.of(
                            registry.toString(),
                            "serve",
                            home.resolve("config.yml").toString()),
                    Map.of(),
                    home.resolve("registry.log"));
            Commands.awaitListening(
                    process, port, "docker-registry", () -> Commands.tail(home.resolve("registry.log"), 4000));
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            stop();
            throw e;
        }
    }

    private String config() {
        return """
                version: 0.1
                log:
                  level: info
                storage:
                  filesystem:
                    rootdirectory: %1$s/data
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:%2$d
                  secret: %3$s
                  tls:
                    certificate: %4$s
                    key: %5$s
                auth:
                  htpasswd:
                    realm: igo-test
                    path: %1$s/htpasswd
                """.formatted(
                        home.toAbsolutePath(),
                        port,
                        S3Server.random(16),
                        pki.serverCertificate().toAbsolutePath(),
                        pki.serverKey().toAbsolutePath());
    }

    /** Stops the registry (SIGTERM, then SIGKILL after 10 s), keeping its port and data for {@link #start()}. */
    public void stop() {
        if (process != null) {
            Commands.stop(process);
            process = null;
        }
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** {@code 127.0.0.1:PORT}, the registry part of an image reference. */
    public String host() {
        requireStarted();
        return "127.0.0.1:" + port;
    }

    public int port() {
        requireStarted();
        return port;
    }

    public String username() {
        requireStarted();
        return username;
    }

    public String password() {
        requireStarted();
        return password;
    }

    /** The PEM of the CA that signed the registry's certificate, what a source's or store's Secret names. */
    public String caPem() {
        requireStarted();
        return pki.caPem();
    }

    /** The CA's certificate file. */
    public Path caCertificate() {
        requireStarted();
        return pki.caCertificate();
    }

    public TestPki pki() {
        requireStarted();
        return pki;
    }

    /** The independent client, trusting this registry's CA only and logged in as {@link #username()}. */
    public Skopeo skopeo() {
        requireStarted();
        return new Skopeo(pki.caCertificate(), username, password, home.resolve("skopeo"));
    }

    /**
     * Pushes, without the operator, an image whose one uncompressed tar layer holds {@code disk} as
     * {@code /disk/x.img} owned by 107:107 (KubeVirt's qemu user), as {@code repository:tag} of this
     * registry; for tests that read a source from the registry.
     */
    public Skopeo.PushedImage pushDiskImage(String repository, String tag, Path disk) {
        return pushDiskImage(repository, tag, disk, 107, 107, Map.of());
    }

    /** As {@link #pushDiskImage(String, String, Path)}, with the file's owner and manifest annotations given. */
    public Skopeo.PushedImage pushDiskImage(
            String repository, String tag, Path disk, int uid, int gid, Map<String, String> annotations) {
        requireStarted();
        try {
            Path layout = Files.createTempDirectory(home, "oci-layout-");
            try {
                OciLayout.Written written = OciLayout.write(layout, tag, disk, uid, gid, annotations);
                String reference = host() + "/" + repository + ":" + tag;
                skopeo().copyFromLayout(layout, tag, reference);
                return new Skopeo.PushedImage(
                        reference, written.manifestDigest(), written.layerDigest(), S3Cli.sha256(disk));
            } finally {
                Commands.deleteTree(layout);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The registry's storage (its filesystem driver's root directory). Its blobs are kept by digest
     * and shared by all repositories, so a push skips the upload of a blob the registry holds: a
     * benchmark removes {@code docker/registry/v2} between rounds to make every push upload anew.
     */
    public Path storage() {
        requireStarted();
        return home.resolve("data");
    }

    /** The file the registry writes its output to: every request it served, with its HTTP version and client. */
    public Path logFile() {
        requireStarted();
        return home.resolve("registry.log");
    }

    /** The registry's output so far (access log and errors), for a failing test's message. */
    public String log() {
        requireStarted();
        return Commands.tail(home.resolve("registry.log"), 20_000);
    }

    @Override
    public void close() {
        stop();
        Commands.deleteTree(home);
        home = null;
        if (pki != null && pki != sharedPki) {
            pki.close();
        }
        pki = null;
    }

    private void requireStarted() {
        if (home == null) {
            throw new IllegalStateException("the registry was never started (or is closed)");
        }
    }
}
