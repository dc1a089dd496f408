package dev.imagegallery.testing;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real nginx with WebDAV writes, started for a test class ({@code @RegisterExtension static}) or
 * by hand ({@link #start()}, {@link #close()}), all its files in a fresh temporary directory.
 * {@link #uri} is writable (PUT, DELETE, MOVE, directories created on PUT); below
 * {@link #READ_ONLY_PREFIX} only GET and HEAD are allowed. Without an nginx binary it fails, telling
 * to install it: the tests that need it must not pass by being skipped.
 *
 * <p>{@link #withBasicAuthAndTls} makes a store that is reached with credentials: https with a
 * {@link TestPki} certificate, and every request signed in as one user whose name and password are
 * random for each instance (HTTP basic authentication, an apr1 htpasswd file), except below {@link
 * #BEARER_PREFIX}, which wants {@code Authorization: Bearer} {@link #token()} instead, and {@link
 * #REDIRECT_PREFIX}, which sends every request to another origin.
 */
public final class NginxServer implements TestServer {
    /** Path prefix under which the server refuses every write. */
    public static final String READ_ONLY_PREFIX = "/readonly/";
    /** Path prefix served at {@link #SLOW_BYTES_PER_SECOND}, for copies that must last a while. */
    public static final String SLOW_PREFIX = "/slow/";
    /** Path prefix, of a server {@link #withBasicAuthAndTls}, that wants the bearer {@link #token()} instead of basic auth. */
    public static final String BEARER_PREFIX = "/bearer/";
    /**
     * Path prefix, of a server {@link #withBasicAuthAndTls}, whose every request is answered with a
     * 307 redirect to the same path without the prefix on {@code https://localhost:PORT}: the same
     * files and user, at another origin, as a store redirecting to a server of someone else's.
     */
    public static final String REDIRECT_PREFIX = "/redirect/";

    public static final long SLOW_BYTES_PER_SECOND = 1 << 20;
    /** The path of the image {@link #slowImage} writes below {@link #SLOW_PREFIX}. */
    public static final String SLOW_IMAGE = SLOW_PREFIX + "image.img";
    /** Path prefix served at {@link #STEADY_BYTES_PER_SECOND}: a large image copied for long enough to interrupt. */
    public static final String STEADY_PREFIX = "/steady/";

    public static final long STEADY_BYTES_PER_SECOND = 64L << 20;
    /** The path of the image {@link #steadyImage} writes below {@link #STEADY_PREFIX}. */
    public static final String STEADY_IMAGE = STEADY_PREFIX + "image.img";

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(15);
    // Debian installs nginx in /usr/sbin, which is not on every user's PATH.
    private static final List<String> EXTRA_BIN_DIRS = List.of("/usr/sbin", "/usr/local/sbin", "/sbin");

    private final boolean servesSources;
    /** Null for a plain http server without authentication. */
    private final TestPki pki;

    private Path home;
    private int port;
    private Process process;
    private boolean refusingWrites;
    private String username;
    private String password;
    private String token;

    /** A server for stores (any free port). */
    public NginxServer() {
        this(false, null);
    }

    private NginxServer(boolean servesSources, TestPki pki) {
        this.servesSources = servesSources;
        this.pki = pki;
    }

    /** A server for image sources, on one of the ports the operator under test may read from ({@link TestSources}). */
    public static NginxServer forSources() {
        return new NginxServer(true, null);
    }

    /**
     * A server for stores (any free port) that speaks https only, with {@code pki}'s server certificate
     * (the caller closes {@code pki}), and refuses with HTTP 401 every request not signed in as
     * {@link #username()} with {@link #password()}, or below {@link #BEARER_PREFIX} every request
     * without the bearer {@link #token()}.
     */
    public static NginxServer withBasicAuthAndTls(TestPki pki) {
        return new NginxServer(false, Objects.requireNonNull(pki, "pki"));
    }

    public void start() {
        Path nginx = findNginx()
                .orElseThrow(
                        () -> new IllegalStateException(
                                "nginx is not installed, and the WebDAV integration tests need a real one: install it with `apt-get install -y nginx`"));
        try {
            // Started again after stop(): the same port and files, as a store back from an outage.
            if (home == null) {
                home = Files.createTempDirectory("nginx-test-");
                Files.createDirectories(root());
                port = servesSources ? TestSources.take() : freePort();
                if (pki != null) {
                    writeCredentials();
                }
            }
            Path config = home.resolve("nginx.conf");
            Files.writeString(config, config());
            process = new ProcessBuilder(
                            nginx.toString(),
                            "-p",
                            home.toString(),
                            "-c",
                            config.toString(),
                            "-e",
                            home.resolve("error.log").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(home.resolve("stdout.log").toFile())
                    .start();
            awaitListening();
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Makes the whole server refuse writes (HTTP 403), or accept them again, as a store that breaks
     * and is repaired; returns once the running server answers so.
     */
    public void refuseWrites(boolean refuse) {
        refusingWrites = refuse;
        try {
            Files.writeString(home.resolve("nginx.conf"), config());
            Process reload = new ProcessBuilder(
                            findNginx().orElseThrow().toString(),
                            "-p",
                            home.toString(),
                            "-c",
                            home.resolve("nginx.conf").toString(),
                            "-s",
                            "reload")
                    .redirectErrorStream(true)
                    .start();
            if (reload.waitFor() != 0) {
                throw new IllegalStateException("nginx reload failed: "
                        + new String(reload.getInputStream().readAllBytes()));
            }
            HttpClient http = client();
            await().atMost(STARTUP_TIMEOUT)
                    .pollInterval(Duration.ofMillis(50))
                    .alias("nginx " + (refuse ? "refusing" : "accepting") + " writes after its reload")
                    .until(() -> refuse == refusesWrites(http));
            Files.deleteIfExists(root().resolve(".write-probe"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private boolean refusesWrites(HttpClient http) throws InterruptedException {
        try {
            return http.send(
                                    request("/.write-probe")
                                            .PUT(HttpRequest.BodyPublishers.ofString("probe"))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 403;
        } catch (IOException closedByTheReload) {
            // An old worker closes its connections as it leaves: ask again.
            return !refusingWrites;
        }
    }

    /** The document root: what nginx serves, and where it writes what it is sent. */
    public Path root() {
        return home.resolve("root");
    }

    /** An image of {@code size} random bytes at {@link #SLOW_IMAGE}, served at {@link #SLOW_BYTES_PER_SECOND}. */
    public Source slowImage(int size) throws IOException {
        return Source.of(root().resolve(SLOW_IMAGE.substring(1)), size);
    }

    /** The URL of {@link #slowImage}. */
    public String slowImageUrl() {
        return uri(SLOW_IMAGE).toString();
    }

    /** An image of {@code size} random bytes at {@link #STEADY_IMAGE}, served at {@link #STEADY_BYTES_PER_SECOND}. */
    public Source steadyImage(long size) throws IOException {
        return Source.of(root().resolve(STEADY_IMAGE.substring(1)), size);
    }

    /** The URL of {@link #steadyImage}. */
    public String steadyImageUrl() {
        return uri(STEADY_IMAGE).toString();
    }

    /** URL of {@code path} (starting with '/') on this server: https for a server {@link #withBasicAuthAndTls}. */
    public URI uri(String path) {
        return URI.create((pki != null ? "https" : "http") + "://127.0.0.1:" + port + path);
    }

    /**
     * The bytes of request bodies nginx is receiving (PUTs in flight, buffered in its temporary files
     * until the request ends), which no client of the server can see yet.
     */
    public long bodyBytesReceiving() throws IOException {
        long bytes = 0;
        for (String file : StoredFiles.under(home.resolve("client_body_temp"))) {
            bytes += Files.size(home.resolve("client_body_temp").resolve(file));
        }
        return bytes;
    }

    /**
     * The requests nginx served so far, as {@code METHOD path} (for example {@code GET /team/a.img}),
     * in order: nginx writes each line of its access log as a request ends, unbuffered.
     */
    public List<String> requests() {
        try {
            return Files.readAllLines(home.resolve("access.log")).stream()
                    .map(line -> line.replaceFirst("^[^\"]*\"(\\S+) (\\S+) .*$", "$1 $2"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One request as the access log has it once it ended: what, the status answered and the body bytes sent. */
    public record Served(String request, int status, long bytesSent) {}

    /** The requests nginx served so far, in order, with their status and the bytes of body it sent. */
    public List<Served> served() {
        try {
            return Files.readAllLines(home.resolve("access.log")).stream()
                    .map(line -> line.split("\"", 3))
                    .map(parts -> {
                        String[] statusAndBytes = parts[2].strip().split(" ");
                        return new Served(
                                parts[1].replaceFirst(" HTTP/\\S+$", ""),
                                Integer.parseInt(statusAndBytes[0]),
                                Long.parseLong(statusAndBytes[1]));
                    })
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The user a server {@link #withBasicAuthAndTls} lets in: random for each instance. */
    public String username() {
        return requireCredentials(username);
    }

    /** {@link #username()}'s password: random for each instance, and holding a ':' as passwords may. */
    public String password() {
        return requireCredentials(password);
    }

    /** The bearer token a server {@link #withBasicAuthAndTls} wants below {@link #BEARER_PREFIX}. */
    public String token() {
        return requireCredentials(token);
    }

    private String requireCredentials(String value) {
        if (pki == null) {
            throw new IllegalStateException("this nginx wants no credentials: make it withBasicAuthAndTls");
        }
        if (value == null) {
            throw new IllegalStateException("nginx is not started yet");
        }
        return value;
    }

    /** A client of this server: trusting its CA only when it speaks https. */
    private HttpClient client() {
        HttpClient.Builder client = HttpClient.newBuilder();
        if (pki != null) {
            client.sslContext(pki.sslContext());
        }
        return client.build();
    }

    /** A request for {@code path}, signed in when the server wants it. */
    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
        if (pki != null) {
            request.header(
                    "Authorization",
                    "Basic "
                            + Base64.getEncoder()
                                    .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return request;
    }

    /** Makes the user, password and token, and the htpasswd file (apr1, which nginx reads by itself). */
    private void writeCredentials() {
        username = "igotest" + S3Server.random(4);
        password = "pw:" + S3Server.random(12);
        token = "igotoken" + S3Server.random(16);
        Path htpasswd = Commands.find(
                "htpasswd", "install it with `apt-get install -y apache2-utils` (hack/install-deps.sh does)");
        String entry = Commands.succeed(
                        "htpasswd",
                        List.of(htpasswd.toString(), "-nbm", username, password),
                        Map.of(),
                        home.resolve("log"))
                .out();
        try {
            Files.writeString(home.resolve("htpasswd"), entry.strip() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the server, keeping its port and files for {@link #start()}: a store outage. */
    public void stop() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    @Override
    public void close() {
        stop();
        if (servesSources && port != 0) {
            TestSources.release(port);
            port = 0;
        }
        if (home != null) {
            Commands.deleteTree(home);
            home = null;
        }
    }

    private String config() {
        String user = System.getProperty("user.name");
        // As root, nginx would hand its workers to 'nobody', who could not write the temporary root.
        String userLine = "root".equals(user) ? "user root;\n" : "";
        String writes = refusingWrites
                ? "limit_except GET { deny all; }"
                : "dav_methods PUT DELETE MOVE;\n              create_full_put_path on;";
        return userLine
                + """
        daemon off;
        worker_processes 1;
        pid %1$s/nginx.pid;
        error_log %1$s/error.log;
        events { worker_connections 256; }
        http {
          access_log %1$s/access.log;
          client_body_temp_path %1$s/client_body_temp;
          proxy_temp_path %1$s/proxy_temp;
          fastcgi_temp_path %1$s/fastcgi_temp;
          uwsgi_temp_path %1$s/uwsgi_temp;
          scgi_temp_path %1$s/scgi_temp;
          sendfile on;
          server {
            listen 127.0.0.1:%2$d%7$s;
            root %1$s/root;
            # Server-wide, so that the read-only location refuses by its rule and not by size.
            client_max_body_size 0;
            %8$s
            location / {
              %4$s
            }
            location %3$s {
              limit_except GET { deny all; }
            }
            location %5$s {
              limit_rate %6$d;
              limit_except GET { deny all; }
            }
            location %10$s {
              limit_rate %11$d;
              limit_except GET { deny all; }
            }
            %9$s
          }
        }
        """.formatted(
                                home,
                                port,
                                READ_ONLY_PREFIX,
                                writes,
                                SLOW_PREFIX,
                                SLOW_BYTES_PER_SECOND,
                                pki == null ? "" : " ssl",
                                pki == null ? "" : tlsAndBasicAuth(),
                                pki == null ? "" : bearerLocation(writes) + redirectLocation(),
                                STEADY_PREFIX,
                                STEADY_BYTES_PER_SECOND);
    }

    /** Server-wide: https with the PKI's certificate, and basic authentication against the htpasswd file. */
    private String tlsAndBasicAuth() {
        return """
            ssl_certificate %s;
            ssl_certificate_key %s;
            auth_basic "igo-test";
            auth_basic_user_file %s;""".formatted(
                pki.serverCertificate().toAbsolutePath(), pki.serverKey().toAbsolutePath(), home.resolve("htpasswd"));
    }

    /** Writable as {@code /} is, for the bearer token instead of the user and password. */
    private String bearerLocation(String writes) {
        return """
            location %s {
              auth_basic off;
              # A return is what nginx's 'if' inside a location is safe for.
              if ($http_authorization != "Bearer %s") { return 401; }
              %s
            }""".formatted(BEARER_PREFIX, token, writes);
    }

    /** Answered before authentication (nginx's rewrite phase comes first), as another server would. */
    private String redirectLocation() {
        return """

            location ~ ^%s(.*)$ {
              return 307 https://localhost:%d/$1;
            }""".formatted(REDIRECT_PREFIX, port);
    }

    private void awaitListening() {
        await().atMost(STARTUP_TIMEOUT)
                .pollInterval(Duration.ofMillis(50))
                .alias("nginx listening on port " + port)
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(
                                "nginx exited with " + process.exitValue() + " on start: " + logs());
                    }
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                        return true;
                    } catch (IOException notYet) {
                        return false;
                    }
                });
    }

    private String logs() throws IOException {
        StringBuilder text = new StringBuilder();
        for (String name : List.of("stdout.log", "error.log")) {
            Path log = home.resolve(name);
            if (Files.exists(log)) {
                text.append(name)
                        .append(": ")
                        .append(Files.readString(log).strip())
                        .append('\n');
            }
        }
        return text.toString();
    }

    private static Optional<Path> findNginx() {
        Stream<String> pathDirs =
                Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator));
        return Stream.concat(pathDirs, EXTRA_BIN_DIRS.stream())
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, "nginx"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** A loopback port no one listens on now. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
