package dev.imagegallery.testing;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The operator as users run it: the packaged {@code target/quarkus-app/quarkus-run.jar} in a process
 * of its own, in the prod profile (so with leader election), configured as the chart's Deployment
 * configures it. The environment and the JVM options come from {@code helm template} with the
 * default values; the container's memory limit becomes the JVM's RAM, as in a container; the
 * process authenticates as the chart's ServiceAccount (installed with its RBAC by {@code helm
 * install}, token from a TokenRequest). Only what a pod has and a test process must choose is set
 * here: the kubeconfig, the HTTP port and the host name.
 */
public final class PackagedOperator implements AutoCloseable {
    public static final String RELEASE = "igo-packaged";
    public static final String RELEASE_NAMESPACE = "igo-packaged-system";
    public static final String LEASE = "image-gallery-operator";
    private static final String FULL_NAME = RELEASE + "-image-gallery-operator";
    private static final String CHART = "deploy/helm/image-gallery-operator";
    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static Installed installed;

    private final String name;
    private final Process process;
    private final long startedNanos;
    private final Path log;
    private final int port;

    private PackagedOperator(String name, Process process, long startedNanos, Path log, int port) {
        this.name = name;
        this.process = process;
        this.startedNanos = startedNanos;
        this.log = log;
        this.port = port;
    }

    /**
     * What the chart installed: the Deployment's pod template as rendered, and a kubeconfig of its
     * ServiceAccount. Installed again when a test's cleanup has uninstalled it (ClusterCleanup).
     */
    private record Installed(Container container, long gracePeriodSeconds, Path kubeconfig) {}

    /**
     * Starts the jar as host {@code name} (its Lease identity starts with {@code name + "_"}), with the
     * chart's environment plus {@code env}, which a test uses only for what the chart leaves to values.
     */
    public static PackagedOperator start(String name, Map<String, String> env) {
        return start(name, env, List.of());
    }

    /** The same, with further JVM options (a benchmark's diagnostics, say) after the chart's. */
    public static PackagedOperator start(String name, Map<String, String> env, List<String> jvmOptions) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(
                    JAR + " is missing: the packaged tier runs after `mvn package` (Failsafe, in `mvn verify`)");
        }
        Installed chart = install();
        Container container = chart.container();
        Map<String, String> chartEnv = chartEnv(container);
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(
                Arrays.asList(chartEnv.getOrDefault("JAVA_OPTS_APPEND", "").split("\\s+")));
        Quantity memoryLimit = container.getResources().getLimits().get("memory");
        // In a container the JVM sizes itself from the cgroup's limit; here the same number stands for it.
        command.add("-XX:MaxRAM=" + Quantity.getAmountInBytes(memoryLimit).longValueExact());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", JAR.toString()));
        try {
            int port = NginxServer.freePort();
            Path log = Files.createDirectories(Path.of("target", "packaged-operator"))
                    .resolve(name + "-" + System.nanoTime() + ".log");
            ProcessBuilder builder =
                    new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(chartEnv);
            builder.environment().put("KUBECONFIG", chart.kubeconfig().toString());
            builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
            builder.environment().put("HOSTNAME", name);
            // The admin's source policy, which the chart leaves to values: the test sources.
            builder.environment().put("IMAGE_GALLERY_SOURCES_ALLOWED_URL_PREFIXES", TestSources.allowedUrlPrefixes());
            builder.environment().putAll(env);
            long startedNanos = System.nanoTime();
            PackagedOperator operator = new PackagedOperator(name, builder.start(), startedNanos, log, port);
            TestOperator.joinElection(operator);
            try {
                operator.awaitLive();
            } catch (RuntimeException | Error e) {
                // Stopped and out of the election, so that the JVM's later operators may start.
                operator.process.destroyForcibly();
                TestOperator.release(operator);
                throw e;
            }
            return operator;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The pod's terminationGracePeriodSeconds as the chart renders it. */
    public static Duration gracePeriod() {
        return Duration.ofSeconds(install().gracePeriodSeconds());
    }

    /** The Lease's holder, when one holds it. */
    public static Optional<String> leaseHolder() {
        Lease lease = TestCluster.client()
                .leases()
                .inNamespace(RELEASE_NAMESPACE)
                .withName(LEASE)
                .get();
        return Optional.ofNullable(lease).map(l -> l.getSpec().getHolderIdentity());
    }

    /** Whether this process holds the Lease now. */
    public boolean leads() {
        return leaseHolder().filter(holder -> holder.startsWith(name + "_")).isPresent();
    }

    /** Waits, as the chart's liveness probe would, until the process answers on its HTTP port. */
    private void awaitLive() {
        awaitHealth("live", Duration.ofSeconds(90));
    }

    /**
     * Waits, as the chart's readiness probe would, until the operator reports ready (its informers
     * synced); returns the time since the process was started.
     */
    public Duration awaitReady(Duration timeout) {
        awaitHealth("ready", timeout);
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    private void awaitHealth(String probe, Duration timeout) {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest check = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/" + probe))
                .build();
        await().atMost(timeout)
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> {
                    assertAlive();
                    return http.send(check, HttpResponse.BodyHandlers.discarding())
                                    .statusCode()
                            == 200;
                });
    }

    public URI metrics() {
        return URI.create("http://127.0.0.1:" + port + "/q/metrics");
    }

    /** Each sample line of a scrape of {@link #metrics()}: series (name and labels) to value. */
    public Map<String, Double> scrape() {
        try {
            String body = HttpClient.newHttpClient()
                    .send(HttpRequest.newBuilder(metrics()).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
            return body.lines()
                    .filter(l -> !l.startsWith("#") && !l.isBlank())
                    .collect(Collectors.toMap(
                            l -> l.substring(0, l.lastIndexOf(' ')),
                            l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)),
                            (a, b) -> b));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public long pid() {
        return process.pid();
    }

    /** The log's length now, for {@link #logSince}. */
    public long logSize() {
        try {
            return Files.size(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the process logged after {@code offset} bytes. */
    public String logSince(long offset) {
        try (var in = Files.newInputStream(log)) {
            in.skipNBytes(offset);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fails, with the operator's log, when the process is gone: a test waiting on it would only time out. */
    public void assertAlive() {
        if (!process.isAlive()) {
            throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + log());
        }
    }

    /** Sends SIGTERM, as the kubelet does when a pod is deleted. */
    public void terminate() {
        process.destroy();
    }

    /** Sends SIGKILL, as the kernel's OOM killer or a lost node would: no shutdown path runs. */
    public void kill() {
        process.destroyForcibly();
    }

    /** Sends SIGSTOP: the process stands still, as in a long GC pause or a frozen VM, until {@link #resume}. */
    public void pause() {
        signal("STOP");
    }

    /** Sends SIGCONT to a paused process. */
    public void resume() {
        signal("CONT");
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid()))
                    .inheritIO()
                    .start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The exit code, once the process has exited within {@code timeout}. */
    public Optional<Integer> awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    ? Optional.of(process.exitValue())
                    : Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Stops the process as the kubelet would: SIGTERM, SIGKILL after the grace period. */
    @Override
    public void close() {
        terminate();
        if (awaitExit(gracePeriod()).isEmpty()) {
            process.destroyForcibly();
            awaitExit(Duration.ofSeconds(10));
        }
        TestOperator.release(this);
    }

    private static synchronized Installed install() {
        if (installed != null && !uninstalled()) {
            return installed;
        }
        Cli.helm("upgrade", "--install", RELEASE, CHART, "-n", RELEASE_NAMESPACE, "--create-namespace", "--wait=false");
        String rendered = Cli.helm(
                "template", RELEASE, CHART, "-n", RELEASE_NAMESPACE, "--show-only", "templates/deployment.yaml");
        Deployment deployment =
                TestCluster.client().getKubernetesSerialization().unmarshal(rendered, Deployment.class);
        var pod = deployment.getSpec().getTemplate().getSpec();
        String token = TestCluster.client()
                .serviceAccounts()
                .inNamespace(RELEASE_NAMESPACE)
                .withName(pod.getServiceAccountName())
                .tokenRequest(new TokenRequestBuilder()
                        .withNewSpec()
                        .withExpirationSeconds(7200L)
                        .endSpec()
                        .build())
                .getStatus()
                .getToken();
        installed =
                new Installed(pod.getContainers().get(0), pod.getTerminationGracePeriodSeconds(), kubeconfig(token));
        return installed;
    }

    /** Whether a test's cleanup uninstalled the chart; not while the API server is down, when a pod restarts as it was. */
    private static boolean uninstalled() {
        try {
            return TestCluster.client()
                            .serviceAccounts()
                            .inNamespace(RELEASE_NAMESPACE)
                            .withName(FULL_NAME)
                            .get()
                    == null;
        } catch (KubernetesClientException e) {
            return false;
        }
    }

    /** The container's environment: literal values, and the pod's namespace where the chart reads it from the downward API. */
    private static Map<String, String> chartEnv(Container container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar var : container.getEnv()) {
            if (var.getValue() != null) {
                env.put(var.getName(), var.getValue());
            } else if (var.getValueFrom() != null
                    && var.getValueFrom().getFieldRef() != null
                    && var.getValueFrom().getFieldRef().getFieldPath().equals("metadata.namespace")) {
                env.put(var.getName(), RELEASE_NAMESPACE);
            } else {
                throw new IllegalStateException(
                        "the chart sets " + var.getName() + " in a way this harness does not know: " + var);
            }
        }
        return env;
    }

    /** A kubeconfig that authenticates with the token only (no client certificate of the admin's). */
    private static Path kubeconfig(String token) {
        Config admin = Config.fromKubeconfig(TestCluster.kubeconfigYaml());
        try {
            String ca = admin.getCaCertData() != null
                    ? admin.getCaCertData()
                    : Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(admin.getCaCertFile())));
            Path file = Files.createTempFile("igo-packaged-kubeconfig", ".yaml");
            file.toFile().deleteOnExit();
            Files.writeString(file, """
          apiVersion: v1
          kind: Config
          clusters: [{name: local, cluster: {server: "%s", certificate-authority-data: "%s"}}]
          users: [{name: operator, user: {token: "%s"}}]
          contexts: [{name: operator, context: {cluster: local, user: operator, namespace: "%s"}}]
          current-context: operator
          """.formatted(admin.getMasterUrl(), ca, token, RELEASE_NAMESPACE));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
