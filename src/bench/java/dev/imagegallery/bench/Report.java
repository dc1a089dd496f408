package dev.imagegallery.bench;

import dev.imagegallery.bench.ConvergenceBenchmark.Row;
import dev.imagegallery.config.ReplicationConfig;
import dev.imagegallery.testing.ApiServerRequests.Kind;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** The benchmark's figures as Markdown. */
final class Report {
    private Report() {}

    static String markdown(List<Row> rows, ReplicationConfig replication, int concurrency, Duration wall) {
        Row idle = rows.get(0);
        List<Row> sized = rows.subList(1, rows.size());
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "Run of %s: %d CPUs, load average %.2f at the end, Java %s, max heap %d MiB; wall time %d min %d s.%n",
                java.time.LocalDate.now(),
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20,
                wall.toMinutes(),
                wall.toSecondsPart()));
        out.append(String.format(
                Locale.ROOT,
                "Reconcile threads %d (java-operator-sdk default); max-concurrent-copies %d, per region %d; "
                        + "N = 0: startup %.0f ms, heap after GC %.1f MiB.%n%n",
                concurrency,
                replication.maxConcurrentCopies(),
                replication.maxConcurrentCopiesPerRegion(),
                idle.startupMillis(),
                idle.heapBytes() / 1048576.0));

        out.append(
                "| N | Created/s (harness, 16 threads) | Convergence (s) | Versions/s | Raw status patches/s | Versions/s ÷ patches/s "
                        + "| Reconciles per version | Writes per version | Status writes per version | Writes after restart | Startup to informers synced (ms) "
                        + "| Heap after GC (MiB) | Bytes per cached version |\n");
        out.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : sized) {
            out.append(String.format(
                    Locale.ROOT,
                    "| %,d | %.0f | %.1f | %.1f | %.0f | %.3f | %.2f | %.2f | %.2f | %d | %.0f | %.1f | %,d |%n",
                    r.n(),
                    r.createdPerSecond(),
                    r.convergenceSeconds(),
                    r.versionsPerSecond(),
                    r.rawPatchesPerSecond(),
                    r.versionsPerSecond() / r.rawPatchesPerSecond(),
                    (double) r.versionReconciles() / r.n(),
                    (double) r.convergence().writes() / r.n(),
                    (double) r.convergence().statusWrites("imageversions") / r.n(),
                    r.restart().writes(),
                    r.startupMillis(),
                    r.heapBytes() / 1048576.0,
                    (r.heapBytes() - idle.heapBytes()) / r.n()));
        }

        out.append(
                "\nRequests to imagegallery.dev during convergence (operator start to idle), from the API server's apiserver_request_total: "
                        + "count, and per version.\n\n| Request |");
        sized.forEach(r -> out.append(String.format(Locale.ROOT, " N = %,d |", r.n())));
        out.append("\n|---|").append("---:|".repeat(sized.size())).append('\n');
        Set<Kind> kinds = new TreeSet<>();
        sized.forEach(r -> kinds.addAll(r.convergence().counts().keySet()));
        for (Kind kind : kinds) {
            out.append("| ").append(kind).append(" |");
            sized.forEach(r -> {
                long count = r.convergence().counts().getOrDefault(kind, 0L);
                out.append(String.format(Locale.ROOT, " %,d (%.2f) |", count, (double) count / r.n()));
            });
            out.append('\n');
        }
        out.append("\nAll reconciles (every controller) during convergence:");
        sized.forEach(r -> out.append(String.format(Locale.ROOT, " N = %,d: %,d;", r.n(), r.allReconciles())));
        out.append("\nWrites after restart, by kind:");
        sized.forEach(r -> out.append(String.format(
                Locale.ROOT,
                " N = %,d: %s;",
                r.n(),
                r.restart().counts().entrySet().stream()
                        .filter(e -> e.getKey().isWrite())
                        .map(e -> e.getKey() + " " + e.getValue())
                        .toList())));
        return out.append('\n').toString();
    }
}
