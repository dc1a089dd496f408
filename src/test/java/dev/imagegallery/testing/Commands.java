package dev.imagegallery.testing;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The command-line tools the test servers and their independent clients run (openssl, htpasswd,
 * skopeo, aws, versitygw, docker-registry): finding them, running them to completion, and starting
 * and stopping the servers among them. A missing tool fails with the way to install it: a test that
 * needs one must never pass by being skipped.
 */
public final class Commands {
    /** What a command printed and how it exited; {@link #stdout} exactly as written (a manifest's bytes). */
    public record Result(int exitCode, byte[] stdout, String stderr) {
        /** Standard output as text. */
        public String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        public boolean succeeded() {
            return exitCode == 0;
        }
    }

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    // Debian installs some tools in /usr/sbin, which is not on every user's PATH.
    private static final List<String> EXTRA_BIN_DIRS = List.of("/usr/local/bin", "/usr/bin", "/usr/sbin", "/bin");

    /**
     * The servers running now; a JVM that ends without stopping them (a test that never reached its
     * close) still does. Its hook is added with the first server, not when this class loads: a shutdown
     * hook that loads it (to delete a directory) could add none.
     */
    private static final class RunningServers {
        static final Set<Process> ALL = ConcurrentHashMap.newKeySet();

        static {
            Runtime.getRuntime()
                    .addShutdownHook(
                            new Thread(() -> ALL.forEach(server -> server.destroyForcibly()), "stop-test-servers"));
        }
    }

    private Commands() {}

    /** The tool named {@code name} on PATH (or in the usual system directories); fails saying how to install it. */
    static Path find(String name, String howToInstall) {
        Stream<String> pathDirs =
                Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator));
        Optional<Path> found = Stream.concat(pathDirs, EXTRA_BIN_DIRS.stream())
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable)
                .findFirst();
        return found.orElseThrow(() -> new IllegalStateException(
                name + " is not installed, and the integration tests need the real one: " + howToInstall));
    }

    /**
     * Downloads {@code url} with curl, as a consumer of a replica would (following no redirect, failing
     * on an HTTP error), trusting {@code caCertificate} when given, and returns the bytes' SHA-256.
     */
    public static String sha256WithCurl(String url, Optional<Path> caCertificate, Path workDir) {
        Path curl = find("curl", "apt-get install curl");
        try {
            Files.createDirectories(workDir);
            Path file = Files.createTempFile(workDir, "download-", ".img");
            try {
                List<String> command = new ArrayList<>(List.of(curl.toString(), "-sS", "-f", "-o", file.toString()));
                caCertificate.ifPresent(ca -> command.addAll(List.of("--cacert", ca.toString())));
                command.add(url);
                succeed("download " + url, command, Map.of(), workDir);
                return Source.sha256Of(file);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A binary hack/provision.sh builds into the cache ({@code -Digo.cache}, as for the control plane). */
    static Path fromCache(String name) {
        Path cache = Path.of(
                System.getProperty("igo.cache", System.getProperty("user.home") + "/.cache/image-gallery-operator"));
        Path binary = cache.resolve("bin").resolve(name);
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException(name + " is not built (no " + binary
                    + "), and the integration tests need the real one: run hack/provision.sh, which builds it"
                    + " from Go modules into that cache (./test runs it)");
        }
        return binary;
    }

    /**
     * Runs {@code command} to its end, with {@code env} added to this JVM's environment (a null value
     * removes a variable) and what it prints kept in files of {@code workDir}.
     */
    static Result run(List<String> command, Map<String, String> env, Path workDir, Duration timeout) {
        try {
            Files.createDirectories(workDir);
            Path out = Files.createTempFile(workDir, "out-", ".log");
            Path err = Files.createTempFile(workDir, "err-", ".log");
            try {
                ProcessBuilder builder = new ProcessBuilder(command)
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile());
                env.forEach((name, value) -> {
                    if (value == null) {
                        builder.environment().remove(name);
                    } else {
                        builder.environment().put(name, value);
                    }
                });
                Process process = builder.start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    stop(process);
                    throw new AssertionError(command.get(0) + " did not finish in " + timeout.toSeconds() + " s: "
                            + Files.readString(err));
                }
                return new Result(process.exitValue(), Files.readAllBytes(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code command} and returns its result; fails the test, saying {@code what} failed, on a non-zero exit. */
    static Result succeed(String what, List<String> command, Map<String, String> env, Path workDir) {
        Result result = run(command, env, workDir, Duration.ofSeconds(120));
        if (!result.succeeded()) {
            throw new AssertionError(what + " failed (exit " + result.exitCode() + "): "
                    + result.stderr().strip() + " " + result.out().strip());
        }
        return result;
    }

    /** Starts a server whose output goes to {@code log} (appended, across restarts). */
    static Process startServer(List<String> command, Map<String, String> env, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        Process server = builder.start();
        RunningServers.ALL.add(server);
        return server;
    }

    /** Waits until {@code process} listens on 127.0.0.1:{@code port}; fails with its log if it exits first. */
    static void awaitListening(Process process, int port, String name, Supplier<String> log) {
        await().atMost(STARTUP_TIMEOUT)
                .pollInterval(Duration.ofMillis(50))
                .alias(name + " listening on 127.0.0.1:" + port)
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(
                                name + " exited with " + process.exitValue() + " on start: " + log.get());
                    }
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                        return true;
                    } catch (IOException notYet) {
                        return false;
                    }
                });
    }

    /** Stops a process as a service manager would: SIGTERM, then SIGKILL if it is still there after 10 s. */
    static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        RunningServers.ALL.remove(process);
    }

    /** The last {@code maxChars} characters of a log file, or a note that there is none. */
    static String tail(Path log, int maxChars) {
        try {
            if (!Files.exists(log)) {
                return "(no " + log.getFileName() + ")";
            }
            String text = Files.readString(log).strip();
            return text.length() <= maxChars ? text : "…" + text.substring(text.length() - maxChars);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** Deletes {@code dir} and everything below it, if it exists. */
    public static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code command} with {@code secret} masked, for messages. */
    static List<String> masked(List<String> command, String secret) {
        List<String> shown = new ArrayList<>();
        for (String arg : command) {
            shown.add(secret == null || secret.isEmpty() ? arg : arg.replace(secret, "***"));
        }
        return shown;
    }
}
