package dev.imagegallery.testing;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.KubeAPIServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One process of this JVM's control plane ({@link TestCluster}: kube-apiserver or etcd), killed and
 * started again as the same command, in the same directory and environment, so on the same ports
 * and data. What an outage of a control plane node looks like to the operator.
 */
public final class ControlPlaneProcess {
    private final String binary;
    /** kube-api-test's field for the process's watcher in its KubeAPIServer. */
    private final String watcher;

    private List<String> command;
    private Path directory;
    private Map<String, String> environment;

    private ControlPlaneProcess(String binary, String watcher) {
        this.binary = binary;
        this.watcher = watcher;
    }

    public static ControlPlaneProcess apiServer() {
        return new ControlPlaneProcess("kube-apiserver", "kubeApiServerProcess");
    }

    public static ControlPlaneProcess etcd() {
        return new ControlPlaneProcess("etcd", "etcdProcess");
    }

    /** Sends SIGKILL, as a crashed node would, after noting how the process was started. */
    public void kill() {
        TestCluster.localControlPlane();
        ProcessHandle running = running();
        Path proc = Path.of("/proc", String.valueOf(running.pid()));
        try {
            command = nulSeparated(Files.readAllBytes(proc.resolve("cmdline")));
            directory = proc.resolve("cwd").toRealPath();
            environment = nulSeparated(Files.readAllBytes(proc.resolve("environ"))).stream()
                    .filter(entry -> entry.contains("="))
                    .collect(Collectors.toMap(
                            entry -> entry.substring(0, entry.indexOf('=')),
                            entry -> entry.substring(entry.indexOf('=') + 1),
                            (first, second) -> second));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        markStopped();
        running.destroyForcibly();
        running.onExit().join();
    }

    /**
     * Tells kube-api-test that this process's exit is expected. Its watcher would otherwise stop the
     * whole control plane and delete etcd's data. kube-api-test offers no way to say so but its own
     * field, which this reaches by reflection; a rename there fails here, naming it.
     */
    private void markStopped() {
        try {
            Field process = KubeAPIServer.class.getDeclaredField(watcher);
            process.setAccessible(true);
            Object processWatcher = process.get(TestCluster.localControlPlane());
            Field stopped = processWatcher.getClass().getDeclaredField("stopped");
            stopped.setAccessible(true);
            stopped.setBoolean(processWatcher, true);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(
                    "kube-api-test's KubeAPIServer." + watcher + ".stopped is gone: see how it watches " + binary, e);
        }
    }

    /** Starts the killed process again and waits until the API server reports itself ready. */
    public void restart() {
        if (command == null) {
            throw new IllegalStateException(binary + " was not killed");
        }
        try {
            Path log = Files.createDirectories(Path.of("target", "control-plane"))
                    .resolve(binary + "-" + System.nanoTime() + ".log");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().clear();
            builder.environment().putAll(environment);
            Process restarted = builder.start();
            Runtime.getRuntime().addShutdownHook(new Thread(restarted::destroyForcibly, "stop-restarted-" + binary));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(() -> "ok".equals(TestCluster.client().raw("/readyz")));
    }

    private ProcessHandle running() {
        return ProcessHandle.current()
                .descendants()
                .filter(p ->
                        p.info().command().filter(c -> c.endsWith("/" + binary)).isPresent())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + binary + " process runs under this JVM"));
    }

    private static List<String> nulSeparated(byte[] bytes) {
        return Arrays.stream(new String(bytes, StandardCharsets.UTF_8).split("\0"))
                .filter(part -> !part.isEmpty())
                .toList();
    }
}
