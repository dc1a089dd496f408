package dev.imagegallery.testing;

import io.fabric8.kubernetes.client.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real kubectl and helm built by hack/provision.sh, run against the test cluster. */
public final class Cli {
    /** Where kubectl keeps its discovery cache: beside the kubeconfig, removed with the cluster. */
    static final String KUBECTL_CACHE_SUFFIX = ".kubectl-cache";

    /** What a command printed (standard output and error together) and how it exited. */
    public record Result(int exitCode, String output) {}

    private Cli() {}

    /** Runs kubectl and returns its output; fails the test on a non-zero exit. */
    public static String kubectl(String... args) {
        return succeed("kubectl", args);
    }

    /** Runs helm and returns its output; fails the test on a non-zero exit. */
    public static String helm(String... args) {
        return succeed("helm", args);
    }

    public static Result run(String tool, String... args) {
        return run(tool, TestCluster.kubeconfigFile(), args);
    }

    /**
     * Runs kubectl as whoever {@code token} identifies, with a kubeconfig holding the cluster's
     * address, its CA and the token alone (no client certificate that would sign in as the admin);
     * fails the test on a non-zero exit.
     */
    public static String kubectlWithToken(String token, String... args) {
        Result result = kubectlAs(token, args);
        if (result.exitCode() != 0) {
            throw new AssertionError("kubectl " + String.join(" ", args) + " failed:\n" + result.output());
        }
        return result.output();
    }

    /** Runs kubectl as whoever {@code token} identifies (see {@link #kubectlWithToken}), whatever its exit. */
    public static Result kubectlAs(String token, String... args) {
        Config admin = Config.fromKubeconfig(TestCluster.kubeconfigYaml());
        String authority = admin.getCaCertData() != null
                ? "certificate-authority-data: " + admin.getCaCertData()
                : "certificate-authority: " + admin.getCaCertFile();
        try {
            Path kubeconfig = Files.createTempFile("token-kubeconfig", ".yaml");
            try {
                Files.writeString(kubeconfig, """
                        apiVersion: v1
                        kind: Config
                        clusters: [{name: test, cluster: {server: "%s", %s}}]
                        users: [{name: token, user: {token: "%s"}}]
                        contexts: [{name: token, context: {cluster: test, user: token}}]
                        current-context: token
                        """.formatted(admin.getMasterUrl(), authority, token));
                return run("kubectl", kubeconfig, args);
            } finally {
                Files.deleteIfExists(kubeconfig);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Result run(String tool, Path kubeconfig, String... args) {
        List<String> command = new ArrayList<>(
                List.of(Path.of(cache(), "bin", tool).toString(), "--kubeconfig", kubeconfig.toString()));
        if (tool.equals("kubectl")) {
            // A discovery cache of this JVM's own: one left by an earlier cluster on the same port would be stale.
            command.addAll(List.of("--cache-dir", TestCluster.kubeconfigFile() + KUBECTL_CACHE_SUFFIX));
        }
        command.addAll(List.of(args));
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(tool + " " + String.join(" ", args) + " did not finish in 120 s:\n" + output);
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String succeed(String tool, String... args) {
        Result result = run(tool, args);
        if (result.exitCode() != 0) {
            throw new AssertionError(tool + " " + String.join(" ", args) + " failed:\n" + result.output());
        }
        return result.output();
    }

    private static String cache() {
        return System.getProperty("igo.cache", System.getProperty("user.home") + "/.cache/image-gallery-operator");
    }
}
