package dev.imagegallery.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real kubectl built by hack/provision.sh, run against the test cluster. */
public final class Kubectl {
  private Kubectl() {}

  /** Runs kubectl with the arguments and returns its standard output; fails on a non-zero exit. */
  public static String run(String... args) {
    String cache = System.getProperty("igo.cache", System.getProperty("user.home") + "/.cache/image-gallery-operator");
    List<String> command = new ArrayList<>(List.of(Path.of(cache, "bin", "kubectl").toString(),
        "--kubeconfig", TestCluster.kubeconfigFile().toString(),
        // A discovery cache of this JVM's own: one left by an earlier cluster on the same port would be stale.
        "--cache-dir", TestCluster.kubeconfigFile() + ".kubectl-cache"));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new AssertionError("kubectl " + String.join(" ", args) + " failed:\n" + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
