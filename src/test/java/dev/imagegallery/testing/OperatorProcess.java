package dev.imagegallery.testing;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The operator's controllers in a JVM of their own, on the test's class path, so that a test can
 * kill it as a crash would (SIGKILL: no shutdown hook, no cleanup) and start it again.
 */
public final class OperatorProcess implements AutoCloseable {
    private final Process process;

    private final Path log;

    private OperatorProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Fails, with the operator's log, when the process is gone: a test waiting on it would only time out. */
    public void assertAlive() {
        if (!process.isAlive()) {
            try {
                throw new AssertionError(
                        "the operator process exited with " + process.exitValue() + ":\n" + Files.readString(log));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Starts the operator on the cluster of {@code kubeconfig}, with these image-gallery.* properties; logs go to {@code log}. */
    public static OperatorProcess start(Path kubeconfig, Map<String, String> properties, Path log) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Djava.util.logging.manager=org.jboss.logmanager.LogManager");
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        TestSources.jvmProperties().forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of(
                "-cp", System.getProperty("java.class.path"), OperatorProcess.class.getName(), kubeconfig.toString()));
        try {
            OperatorProcess started = new OperatorProcess(
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(log.toFile())
                            .start(),
                    log);
            TestOperator.claim(started);
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills the process as a crash would, and waits until it is gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        TestOperator.release(this);
    }

    @Override
    public void close() {
        kill();
    }

    public static void main(String[] args) throws Exception {
        KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(Path.of(args[0]))))
                .build();
        Operator operator = StandaloneOperator.of(client, OperatorSettings.of(config()));
        operator.start();
        Thread.currentThread().join();
    }

    /**
     * The operator's settings (GalleryLimits, ReplicationConfig, SharingConfig, SourcesConfig, StatusConfig) outside
     * Quarkus: the defaults and the test sources, overridden by system properties.
     */
    public static SmallRyeConfig config() {
        return OperatorSettings.mapped(new SmallRyeConfigBuilder()
                .addDefaultSources()
                .withSources(new PropertiesConfigSource(TestSources.config(), "test-sources", 50)));
    }
}
