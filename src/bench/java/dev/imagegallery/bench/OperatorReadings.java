package dev.imagegallery.bench;

import dev.imagegallery.testing.PackagedOperator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What the benchmark reads off the operator's process from outside, as an admin could: reconciles
 * from its metrics endpoint, heap after a full collection (jcmd), CPU time (/proc), and the
 * versions it reconciled from java-operator-sdk's debug line (the benchmark turns it on).
 */
final class OperatorReadings {
    /**
     * java-operator-sdk's ReconciliationDispatcher logs a line at DEBUG for each reconcile. A system
     * property, not an environment variable: those lower-case the logger's name.
     */
    static final List<String> RECONCILE_LOG = List.of(
            "-Dquarkus.log.category.\"io.javaoperatorsdk.operator.processing.event.ReconciliationDispatcher\".level=DEBUG");

    /** The debug line as the operator's log format writes it: the object named by the reconcile's log field. */
    private static final Pattern DISPATCH = Pattern.compile(" ImageVersion (\\S+) Handling dispatch");

    private static final long CLOCK_TICKS =
            Long.parseLong(command("getconf", "CLK_TCK").strip());

    private OperatorReadings() {}

    /**
     * Reconciles ended so far by one controller (java-operator-sdk's reconciliations_success_total and
     * _failure_total; its _started_total counts only some of them).
     */
    static long reconciles(PackagedOperator operator, String controller) {
        return reconciles(operator.scrape(), "{controller_name=\"" + controller + "\"");
    }

    private static long reconciles(Map<String, Double> scraped, String labels) {
        return sum(scraped, "reconciliations_success_total" + labels)
                + sum(scraped, "reconciliations_failure_total" + labels);
    }

    /**
     * Waits until the operator has ended at least {@code versionReconciles} reconciles of ImageVersions
     * and then none for {@code quiet}.
     */
    static void awaitIdle(PackagedOperator operator, long versionReconciles, Duration quiet, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = -1;
        long quietSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            operator.assertAlive();
            long ended = reconciles(operator.scrape(), "{");
            if (ended != last) {
                quietSince = System.nanoTime();
                last = ended;
            } else if (System.nanoTime() - quietSince >= quiet.toNanos()
                    && reconciles(operator, "imageversion") >= versionReconciles) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the operator was not idle within " + timeout);
    }

    /** Heap in use after full collections (the least of three), from the JVM's own gauges. */
    static long heapAfterGc(PackagedOperator operator) throws InterruptedException {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            command("jcmd", String.valueOf(operator.pid()), "GC.run");
            Thread.sleep(300);
            least = Math.min(least, sum(operator.scrape(), "jvm_memory_used_bytes{area=\"heap\""));
        }
        return least;
    }

    /** The classes on the operator's heap by bytes (jcmd GC.class_histogram, which collects first): its first {@code lines}. */
    static String classHistogram(PackagedOperator operator, int lines) {
        return command("jcmd", String.valueOf(operator.pid()), "GC.class_histogram")
                .lines()
                .limit(lines)
                .collect(Collectors.joining("\n"));
    }

    /** CPU time of the process so far, user and system, in seconds. */
    static double cpuSeconds(PackagedOperator operator) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(operator.pid()), "stat"));
            // Fields after the command's closing parenthesis start at field 3: utime is 14, stime 15.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) CLOCK_TICKS;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code namespace/name} of each ImageVersion reconcile java-operator-sdk dispatched in a stretch of the log. */
    static List<String> dispatchedVersions(String log) {
        List<String> keys = new ArrayList<>();
        Matcher m = DISPATCH.matcher(log);
        while (m.find()) {
            keys.add(m.group(1));
        }
        return keys;
    }

    /** Runs a command of the JDK or the system and returns what it printed; fails on a non-zero exit. */
    private static String command(String... command) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static long sum(Map<String, Double> scraped, String seriesPrefix) {
        return Math.round(scraped.entrySet().stream()
                .filter(e -> e.getKey().startsWith(seriesPrefix))
                .mapToDouble(Map.Entry::getValue)
                .sum());
    }
}
