package dev.imagegallery.replication;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What the throughput benchmarks share: the timed steps of their rounds, the median rates and the
 * ratios against issue 6's goal they print, the random file they copy and the load average of the
 * shared machine they ran on.
 */
final class BenchmarkRounds {
    static final long MIB = 1024 * 1024;
    /** Issue 6: the copier should reach this share of the plain tool's rate. */
    static final double GOAL = 0.8;

    private final long size;
    private final Map<String, List<Double>> seconds = new LinkedHashMap<>();

    /** @param size the bytes each step moves, which its rate is computed from */
    BenchmarkRounds(long size) {
        this.size = size;
    }

    /** Runs {@code step}, records how long it took under {@code name}, then runs {@code cleanUp} untimed. */
    void time(String name, Step step, Step cleanUp) throws Exception {
        long start = System.nanoTime();
        step.run();
        seconds.computeIfAbsent(name, n -> new ArrayList<>()).add((System.nanoTime() - start) / 1e9);
        cleanUp.run();
    }

    /** Prints each step's median rate and its rounds' times. */
    void printRates(long mebibytes, int rounds) {
        System.out.printf("%d MiB, %d rounds, median of the rounds (MB = 10^6 bytes)%n", mebibytes, rounds);
        seconds.forEach((name, times) -> System.out.printf(
                "  %-20s %8.1f MB/s   rounds: %s%n",
                name,
                rate(name),
                times.stream().map(t -> String.format("%.2fs", t)).toList()));
    }

    /** Prints the ratio of the median rates of {@code copier} and {@code tool}, and whether it meets the goal. */
    void printRatio(String copier, String tool) {
        double ratio = rate(copier) / rate(tool);
        System.out.printf(
                "ratio %-18s / %-9s = %.2f   goal %.1f %s%n",
                copier, tool, ratio, GOAL, ratio >= GOAL ? "met" : "NOT met");
    }

    /** How many rounds of step {@code name} were timed so far. */
    int count(String name) {
        return seconds.getOrDefault(name, List.of()).size();
    }

    /** The median rate of step {@code name} in MB/s (10^6 bytes). */
    double rate(String name) {
        return size / 1e6 / median(seconds.get(name));
    }

    /** Writes {@code size} random bytes, which no file system or transport can compress, and returns their SHA-256. */
    static String writeRandom(Path file, long size) throws Exception {
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

    /** The 1-minute load average: the machine is shared, and a busy one explains a bad run. */
    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    /** Runs {@code command} to its end; fails with its output unless it exits 0. */
    static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try (InputStream out = process.getInputStream()) {
            output = new String(out.readAllBytes());
        }
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(file -> file.toFile().delete());
        }
    }

    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }
}
