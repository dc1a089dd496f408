package dev.imagegallery.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A real S3 server: Versity Gateway (versitygw, built by hack/provision.sh into the cache) over
 * HTTPS with a {@link TestPki} certificate, on a free port of 127.0.0.1, storing objects as files
 * of a fresh temporary directory (its posix backend: a bucket is a directory). One access key and
 * secret, random for each instance ({@code igotest...}), are its root account's.
 *
 * <p>For a test class ({@code @RegisterExtension static}) or by hand ({@link #start()}, {@link
 * #close()}). {@link #stop()} then {@link #start()} brings it back on the same port with the same
 * buckets and objects, as a store that goes away and returns. Without the binary it fails, telling
 * how to build it: the tests that need it must not pass by being skipped.
 */
public final class S3Server implements TestServer {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final TestPki sharedPki;
    private TestPki pki;
    private Path home;
    private int port;
    private String accessKeyId;
    private String secretAccessKey;
    private Process process;

    /** A server with a PKI of its own. */
    public S3Server() {
        this(null);
    }

    /** A server whose certificate comes from {@code pki}, which the caller closes. */
    public S3Server(TestPki pki) {
        this.sharedPki = pki;
    }

    /** Starts the server: the first time on a new port with no buckets, afterwards on the same port and data. */
    public void start() {
        if (process != null) {
            throw new IllegalStateException("the S3 server is running already");
        }
        Path versitygw = Commands.fromCache("versitygw");
        try {
            if (home == null) {
                pki = sharedPki != null ? sharedPki : TestPki.create();
                home = Files.createTempDirectory("s3-test-");
                Files.createDirectories(data());
                port = NginxServer.freePort();
                accessKeyId = "igotest" + random(6);
                secretAccessKey = "igotest" + random(16);
            }
            // Absolute paths: the posix backend changes directory, and a relative certificate path would not be found.
            process = Commands.startServer(
                    List.of(
                            versitygw.toString(),
                            "--port",
                            "127.0.0.1:" + port,
                            "--region",
                            "us-east-1",
                            "--cert",
                            pki.serverCertificate().toAbsolutePath().toString(),
                            "--key",
                            pki.serverKey().toAbsolutePath().toString(),
                            "--keep-alive",
                            "posix",
                            data().toAbsolutePath().toString()),
                    // The keys in its environment, not on a command line that ps shows.
                    Map.of("ROOT_ACCESS_KEY_ID", accessKeyId, "ROOT_SECRET_ACCESS_KEY", secretAccessKey),
                    home.resolve("versitygw.log"));
            Commands.awaitListening(
                    process, port, "versitygw", () -> Commands.tail(home.resolve("versitygw.log"), 4000));
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            stop();
            throw e;
        }
    }

    /** Stops the server (SIGTERM, then SIGKILL after 10 s), keeping its port and data for {@link #start()}. */
    public void stop() {
        if (process != null) {
            Commands.stop(process);
            process = null;
        }
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** {@code https://127.0.0.1:PORT}, the endpoint for path-style requests. */
    public URI url() {
        requireStarted();
        return URI.create("https://127.0.0.1:" + port);
    }

    public int port() {
        requireStarted();
        return port;
    }

    /** The region the server signs for; any client region is accepted by it. */
    public String region() {
        return "us-east-1";
    }

    public String accessKeyId() {
        requireStarted();
        return accessKeyId;
    }

    public String secretAccessKey() {
        requireStarted();
        return secretAccessKey;
    }

    /** The PEM of the CA that signed the server's certificate, what a store's Secret names. */
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

    /** The posix backend's root: one directory per bucket, one file per object. */
    public Path data() {
        requireStarted();
        return home.resolve("data");
    }

    /** Creates {@code bucket} through the server's own API, with the second client. */
    public void createBucket(String bucket) {
        cli().createBucket(bucket);
    }

    /** The second client ({@code aws} CLI) with this server's endpoint, CA and keys. */
    public S3Cli cli() {
        requireStarted();
        return new S3Cli(url(), pki.caCertificate(), accessKeyId, secretAccessKey, home.resolve("cli"));
    }

    /** The server's output so far (request log and errors), for a failing test's message. */
    public String log() {
        requireStarted();
        return Commands.tail(home.resolve("versitygw.log"), 20_000);
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
            throw new IllegalStateException("the S3 server was never started (or is closed)");
        }
    }

    static String random(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return HexFormat.of().formatHex(value);
    }
}
