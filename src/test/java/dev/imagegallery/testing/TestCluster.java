package dev.imagegallery.testing;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The one Kubernetes cluster of a test JVM, started on first use and stopped when the JVM exits.
 *
 * <p>By default a real kube-apiserver and etcd built by hack/provision.sh (kube-api-test, offline).
 * With {@code -Dit.cluster=k3s} a k3s container instead, where a Docker engine exists; without one
 * every integration test is skipped, saying why ({@link ClusterAvailableCondition}). The CRDs from deploy/crds are installed
 * once. The kubeconfig is kept in a system property so that the Quarkus test class loader, which
 * loads its own copy of this class, finds the same cluster.
 */
public final class TestCluster {
    private static final String KUBECONFIG_PROPERTY = "igo.test.kubeconfig";
    private static KubernetesClient client;
    // The local control plane, when this JVM started one (not with k3s).
    private static KubeAPIServer localControlPlane;

    private TestCluster() {}

    public static synchronized KubernetesClient client() {
        if (client == null) {
            client = new KubernetesClientBuilder()
                    .withConfig(Config.fromKubeconfig(kubeconfigYaml()))
                    .build();
        }
        return client;
    }

    /** Path of a kubeconfig file for the cluster, for tools (kubectl, helm) and the operator under test. */
    public static synchronized Path kubeconfigFile() {
        try {
            Path file = kubeconfigPath();
            if (!Files.exists(file)) {
                Files.writeString(file, kubeconfigYaml());
                file.toFile().deleteOnExit();
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path kubeconfigPath() {
        return Path.of(
                System.getProperty("java.io.tmpdir"),
                "igo-test-kubeconfig-" + ProcessHandle.current().pid());
    }

    public static synchronized String kubeconfigYaml() {
        String running = System.getProperty(KUBECONFIG_PROPERTY);
        if (running != null) {
            return running;
        }
        String yaml = "k3s".equals(System.getProperty("it.cluster")) ? startK3s() : startLocalControlPlane();
        System.setProperty(KUBECONFIG_PROPERTY, yaml);
        try (KubernetesClient setup = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(yaml))
                .build()) {
            installCrds(setup, projectDir().resolve("deploy/crds"));
        }
        return yaml;
    }

    /** A fresh namespace for one test, so tests never see each other's objects. */
    public static String newNamespace(String prefix) {
        String name = (prefix.toLowerCase(Locale.ROOT) + "-"
                + UUID.randomUUID().toString().substring(0, 8));
        client().namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .build())
                .create();
        return name;
    }

    public static Path projectDir() {
        return Path.of(System.getProperty("user.dir"));
    }

    /** Where hack/provision.sh puts what it builds ({@code -Digo.cache}, default ~/.cache/image-gallery-operator). */
    public static Path cacheDir() {
        return Path.of(
                System.getProperty("igo.cache", System.getProperty("user.home") + "/.cache/image-gallery-operator"));
    }

    /**
     * Installs the CRDs of the {@code .yml} and {@code .yaml} files in {@code directory} and waits until
     * the API server serves each; returns them.
     */
    public static List<CustomResourceDefinition> installCrds(Path directory) {
        return installCrds(client(), directory);
    }

    private static String startLocalControlPlane() {
        String cache = cacheDir().toString();
        if (!Files.isDirectory(Path.of(cache, "k8s"))) {
            throw new IllegalStateException(
                    "No control plane binaries in " + cache + "/k8s: run hack/provision.sh (./test does)");
        }
        KubeAPIServer server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withTestDir(cache)
                .withOfflineMode(true)
                .withStartupTimeout(180_000)
                // Without a default route the API server cannot pick an address to advertise on its own.
                .withApiServerFlag("--advertise-address", "127.0.0.1")
                .withApiServerFlag(
                        "--audit-policy-file", AuditLog.preparePolicy().toString())
                .withApiServerFlag("--audit-log-path", AuditLog.path().toString())
                .build());
        server.start();
        localControlPlane = server;
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                server.stop();
                            } finally {
                                // What the API server and kubectl wrote beside the tests' own temporary directories.
                                Commands.deleteTree(AuditLog.path().getParent());
                                Commands.deleteTree(Path.of(kubeconfigPath() + Cli.KUBECTL_CACHE_SUFFIX));
                            }
                        },
                        "stop-kube-apiserver"));
        return server.getKubeConfigYaml();
    }

    /** The local control plane's processes, for a test that stops one ({@link ControlPlaneProcess}). */
    static synchronized KubeAPIServer localControlPlane() {
        kubeconfigYaml();
        if (localControlPlane == null) {
            throw new IllegalStateException("this JVM's cluster is not the local control plane (-Dit.cluster=k3s?)");
        }
        return localControlPlane;
    }

    /** Only reached where Docker is available: {@link ClusterAvailableCondition} skips the tests otherwise. */
    private static String startK3s() {
        K3sContainer k3s = new K3sContainer(DockerImageName.parse("rancher/k3s:v1.34.4-k3s1"));
        k3s.start();
        Runtime.getRuntime().addShutdownHook(new Thread(k3s::stop, "stop-k3s"));
        return k3s.getKubeConfigYaml();
    }

    private static List<CustomResourceDefinition> installCrds(KubernetesClient setup, Path directory) {
        List<CustomResourceDefinition> crds;
        try (Stream<Path> files = Files.list(directory)) {
            crds = files.filter(
                            f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml"))
                    .sorted()
                    .map(f -> setup.apiextensions()
                            .v1()
                            .customResourceDefinitions()
                            .load(f.toFile())
                            .item())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (CustomResourceDefinition crd : crds) {
            setup.resource(crd).forceConflicts().serverSideApply();
        }
        for (CustomResourceDefinition crd : crds) {
            setup.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .withName(crd.getMetadata().getName())
                    .waitUntilCondition(
                            c -> c != null
                                    && c.getStatus() != null
                                    && c.getStatus().getConditions().stream()
                                            .anyMatch(cond -> "Established".equals(cond.getType())
                                                    && "True".equals(cond.getStatus())),
                            60,
                            TimeUnit.SECONDS);
            // Established comes a moment before the API server serves the kind.
            var served = new ResourceDefinitionContext.Builder()
                    .withGroup(crd.getSpec().getGroup())
                    .withVersion(crd.getSpec().getVersions().get(0).getName())
                    .withPlural(crd.getSpec().getNames().getPlural())
                    .withKind(crd.getSpec().getNames().getKind())
                    .withNamespaced(crd.getSpec().getScope().equals("Namespaced"))
                    .build();
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(50))
                    .ignoreExceptions()
                    .until(() -> setup.genericKubernetesResources(served)
                                    .inAnyNamespace()
                                    .list()
                            != null);
        }
        return crds;
    }
}
