package dev.imagegallery.replication;

import dev.imagegallery.testing.NginxServer;
import dev.imagegallery.testing.TestSources;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Throughput of the copier against the tools it should not be much slower than: {@code cp} for
 * file to file, {@code curl -T} for file to a WebDAV nginx, on the same file in the same run. Each
 * target is removed before the next round, so every round writes anew.
 *
 * <p>Run: {@code mvn -B -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.imagegallery.replication.CopyThroughputBenchmark [-Dexec.args="MiB rounds"]}
 * (defaults: 512 MiB, 3 rounds). Needs cp, sync, curl and nginx.
 */
public final class CopyThroughputBenchmark {
    private static final long MIB = 1024 * 1024;
    // Issue 6: the copier should reach this share of the plain tool's rate.
    private static final double GOAL = 0.8;
    private static final ReplicaKey KEY =
            new ReplicaKey(new VersionKey("bench", "gallery", "image", "1.0.0"), "local", 0);

    private final Path work;
    private final Path image;
    private final long size;
    private final String sha256;
    private final NginxServer nginx;
    private final HttpClient http = HttpClient.newHttpClient();
    private final VerifiedCopier copier = new VerifiedCopier(new NoMetrics(), Duration.ofSeconds(1));
    private final Map<String, List<Double>> seconds = new LinkedHashMap<>();

    private CopyThroughputBenchmark(Path work, Path image, long size, String sha256, NginxServer nginx) {
        this.work = work;
        this.image = image;
        this.size = size;
        this.sha256 = sha256;
        this.nginx = nginx;
    }

    public static void main(String[] args) throws Exception {
        long mebibytes = args.length > 0 ? Long.parseLong(args[0]) : 512;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path work = Files.createTempDirectory("copy-benchmark-");
        try (NginxServer nginx = new NginxServer()) {
            nginx.start();
            Path image = work.resolve("image.raw");
            String sha256 = writeRandom(image, mebibytes * MIB);
            CopyThroughputBenchmark benchmark =
                    new CopyThroughputBenchmark(work, image, mebibytes * MIB, sha256, nginx);
            double loadBefore = loadAverage();
            benchmark.warmUp();
            for (int round = 1; round <= rounds; round++) {
                benchmark.round();
            }
            benchmark.report(mebibytes, rounds);
            // The machine is shared: a busy one explains a bad run.
            System.out.printf("load average (1 min) %.2f before, %.2f after%n", loadBefore, loadAverage());
        } finally {
            try (var files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder())
                        .forEach(file -> file.toFile().delete());
            }
        }
    }

    /** Lets the JIT compile the copy path before anything is timed. */
    private void warmUp() throws Exception {
        copier.replicate(job(fileStore()), (copied, total) -> {});
        fileStore().delete(KEY);
        copier.replicate(job(nginxStore()), (copied, total) -> {});
        nginxStore().delete(KEY);
    }

    private void round() throws Exception {
        time(
                "cp",
                () -> run("cp", image.toString(), work.resolve("cp.raw").toString()),
                () -> Files.delete(work.resolve("cp.raw")));
        // The copier syncs its file before the rename; this is cp held to the same durability.
        time(
                "cp + sync",
                () -> {
                    run("cp", image.toString(), work.resolve("cp.raw").toString());
                    run("sync", work.resolve("cp.raw").toString());
                },
                () -> Files.delete(work.resolve("cp.raw")));
        time(
                "copier file->file",
                () -> copier.replicate(job(fileStore()), (copied, total) -> {}),
                () -> fileStore().delete(KEY));
        URI curlTarget = nginx.uri("/curl/image.raw");
        time(
                "curl -T",
                () -> run("curl", "-sS", "-f", "-o", "/dev/null", "-T", image.toString(), curlTarget.toString()),
                () -> run("curl", "-sS", "-f", "-X", "DELETE", curlTarget.toString()));
        time(
                "copier file->nginx",
                () -> copier.replicate(job(nginxStore()), (copied, total) -> {}),
                () -> nginxStore().delete(KEY));
    }

    private CopyJob job(ObjectStore store) {
        return new CopyJob(KEY, TestSources.access().source(image.toUri().toString()), sha256, size, store);
    }

    private ObjectStore fileStore() throws IOException {
        return AnonymousStores.at(
                Files.createDirectories(work.resolve("store")).toUri().toString());
    }

    private ObjectStore nginxStore() {
        return AnonymousStores.at(nginx.uri("/store").toString());
    }

    private void time(String name, Step step, Step cleanUp) throws Exception {
        long start = System.nanoTime();
        step.run();
        seconds.computeIfAbsent(name, n -> new ArrayList<>()).add((System.nanoTime() - start) / 1e9);
        cleanUp.run();
    }

    private void report(long mebibytes, int rounds) {
        System.out.printf("%d MiB, %d rounds, median of the rounds (MB = 10^6 bytes)%n", mebibytes, rounds);
        Map<String, Double> rates = new LinkedHashMap<>();
        seconds.forEach((name, times) -> {
            double rate = size / 1e6 / median(times);
            rates.put(name, rate);
            System.out.printf(
                    "  %-20s %8.1f MB/s   rounds: %s%n",
                    name,
                    rate,
                    times.stream().map(t -> String.format("%.2fs", t)).toList());
        });
        printRatio(rates, "copier file->file", "cp");
        printRatio(rates, "copier file->file", "cp + sync");
        printRatio(rates, "copier file->nginx", "curl -T");
    }

    private static void printRatio(Map<String, Double> rates, String copier, String tool) {
        double ratio = rates.get(copier) / rates.get(tool);
        System.out.printf(
                "ratio %-18s / %-9s = %.2f   goal %.1f %s%n",
                copier, tool, ratio, GOAL, ratio >= GOAL ? "met" : "NOT met");
    }

    /** Writes {@code size} random bytes, which no file system or transport can compress, and returns their SHA-256. */
    private static String writeRandom(Path file, long size) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        SplittableRandom random = new SplittableRandom(42);
        byte[] chunk = new byte[(int) MIB];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; written += chunk.length) {
                random.nextBytes(chunk);
                int length = (int) Math.min(chunk.length, size - written);
                digest.update(chunk, 0, length);
                out.write(chunk, 0, length);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try (InputStream out = process.getInputStream()) {
            output = new String(out.readAllBytes());
        }
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }
}
