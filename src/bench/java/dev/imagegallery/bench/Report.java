package dev.imagegallery.bench;

import dev.imagegallery.testing.ApiServerRequests;
import dev.imagegallery.testing.ApiServerRequests.Kind;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/** The scale benchmark's figures as Markdown. */
final class Report {
    private static final String VERSIONS = "imageversions.imagegallery.dev";

    private Report() {}

    /** Cold start: N pending versions, the operator started on them, until all are Ready (and counted until idle). */
    record ColdStart(double seconds, ApiServerRequests requests, long versionReconciles, double cpuSeconds) {}

    /** An operator started on N converged versions. */
    record Restart(Duration startup, ApiServerRequests requests, long heapBytes) {}

    /** K new versions with M converged: creation-to-Ready in ms (sorted), and the operator's costs. */
    record Steady(
            List<Double> latencies,
            ApiServerRequests requests,
            long versionReconciles,
            long unchangedVersionReconciles,
            double cpuSeconds) {
        double percentile(double p) {
            return latencies.get((int) Math.min(latencies.size() - 1, Math.ceil(p * latencies.size()) - 1));
        }
    }

    /** One size: N = M; no cold start and no raw rate at N = 0. */
    record Size(int n, ColdStart cold, Restart restart, Steady steady, double rawWritesPerSecond) {}

    /**
     * The operator's requests: every group's, less the Leases (the leader's renewals and the API
     * server's own heartbeats, by the clock, not by the work), less the API server's own upkeep of its
     * Endpoints (the chart grants the operator no right on them), less watches of other groups than
     * ours (the API server's cache renews its own; the operator's of Secrets, Roles and RoleBindings
     * start once, with it), and less the harness's own (its {@code creates} versions, and the list and watch of each of its
     * {@code watches} Ready watches).
     */
    static Map<Kind, Long> operatorRequests(ApiServerRequests requests, long creates, long watches) {
        Map<Kind, Long> counts = new TreeMap<>(requests.counts());
        counts.keySet()
                .removeIf(kind -> kind.resource().startsWith("leases.")
                        || kind.resource().equals("endpoints")
                        || (kind.verb().equals("WATCH") && !kind.resource().endsWith(".imagegallery.dev")));
        counts.merge(new Kind("POST", VERSIONS, ""), -creates, Long::sum);
        // Its watch is counted when it ends, after the counters were read.
        counts.merge(new Kind("LIST", VERSIONS, ""), -watches, Long::sum);
        counts.values().removeIf(count -> count == 0);
        return counts;
    }

    static long total(Map<Kind, Long> counts, boolean writesOnly) {
        return counts.entrySet().stream()
                .filter(e -> !writesOnly || e.getKey().isWrite())
                .mapToLong(Map.Entry::getValue)
                .sum();
    }

    static String markdown(List<Size> sizes, int k, int perSecond, int concurrency, Duration wall) {
        Size idle = sizes.get(0);
        List<Size> sized = sizes.subList(1, sizes.size());
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "Run of %s: %d CPUs, load average %.2f at the end, harness on Java %s; wall time %d min %d s.%n%n",
                java.time.LocalDate.now(),
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                System.getProperty("java.version"),
                wall.toMinutes(),
                wall.toSecondsPart()));

        out.append("### Startup, memory, restart\n\n")
                .append("| N | Startup to ready (ms) | ÷ N = 0 | Heap after GC (MiB) | Bytes per cached version "
                        + "| Writes until idle after restart |\n|---:|---:|---:|---:|---:|---|\n");
        for (Size s : sizes) {
            Restart r = s.restart();
            Map<Kind, Long> writes = operatorRequests(r.requests(), 0, 0);
            writes.keySet().removeIf(kind -> !kind.isWrite());
            out.append(String.format(
                    Locale.ROOT,
                    "| %,d | %,d | %.2f | %.1f | %s | %d %s |%n",
                    s.n(),
                    r.startup().toMillis(),
                    (double) r.startup().toMillis() / idle.restart().startup().toMillis(),
                    r.heapBytes() / 1048576.0,
                    s.n() == 0
                            ? ""
                            : String.format(
                                    Locale.ROOT,
                                    "%,d",
                                    (r.heapBytes() - idle.restart().heapBytes()) / s.n()),
                    total(writes, true),
                    writes.isEmpty() ? "" : writes.toString()));
        }

        out.append(String.format(
                Locale.ROOT,
                "%n### Cold start%n%nRaw: a plain client server-side applies the status of up to 5,000 versions, "
                        + "%d threads (the reconcile pool), operator stopped. "
                        + "Ratio = versions/s × operator writes per version ÷ raw writes/s.%n%n",
                concurrency));
        out.append(
                "| N | Convergence (s) | Versions/s | Writes per version | Raw writes/s | Ratio | Reconciles per version "
                        + "| Requests per version | CPU ms per version |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Size s : sized) {
            ColdStart c = s.cold();
            Map<Kind, Long> requests = operatorRequests(c.requests(), 0, 1);
            double versionsPerSecond = s.n() / c.seconds();
            double writesPerVersion = (double) total(requests, true) / s.n();
            out.append(String.format(
                    Locale.ROOT,
                    "| %,d | %.1f | %.1f | %.2f | %.0f | %.2f | %.2f | %.2f | %.1f |%n",
                    s.n(),
                    c.seconds(),
                    versionsPerSecond,
                    writesPerVersion,
                    s.rawWritesPerSecond(),
                    versionsPerSecond * writesPerVersion / s.rawWritesPerSecond(),
                    (double) c.versionReconciles() / s.n(),
                    (double) total(requests, false) / s.n(),
                    c.cpuSeconds() * 1000 / s.n()));
        }
        byKind(
                out,
                "Cold start, the operator's requests per version",
                sized,
                s -> operatorRequests(s.cold().requests(), 0, 1),
                Size::n);

        out.append(String.format(
                Locale.ROOT,
                "%n### Steady state%n%nWith M versions converged and the operator idle, K = %d new versions created at %d/s; "
                        + "creation-to-Ready from the create request to a watch seeing Ready.%n%n",
                k,
                perSecond));
        out.append(
                "| M | p50 (ms) | p99 (ms) | p50 ÷ M = 0 | Reconciles per new version | Reconciles of unchanged versions "
                        + "| Requests per new version | Writes per new version | CPU ms per new version |\n"
                        + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Size s : sizes) {
            Steady st = s.steady();
            Map<Kind, Long> requests = operatorRequests(st.requests(), k, 1);
            out.append(String.format(
                    Locale.ROOT,
                    "| %,d | %.0f | %.0f | %.2f | %.2f | %d | %.2f | %.2f | %.1f |%n",
                    s.n(),
                    st.percentile(0.5),
                    st.percentile(0.99),
                    st.percentile(0.5) / idle.steady().percentile(0.5),
                    (double) st.versionReconciles() / k,
                    st.unchangedVersionReconciles(),
                    (double) total(requests, false) / k,
                    (double) total(requests, true) / k,
                    st.cpuSeconds() * 1000 / k));
        }
        byKind(
                out,
                "Steady state, the operator's requests per new version",
                sizes,
                s -> operatorRequests(s.steady().requests(), k, 1),
                s -> k);
        return out.toString();
    }

    private static void byKind(
            StringBuilder out,
            String title,
            List<Size> sizes,
            Function<Size, Map<Kind, Long>> requests,
            Function<Size, Integer> per) {
        out.append("\n").append(title).append(" (all groups, from apiserver_request_total):\n\n| Request |");
        sizes.forEach(s -> out.append(String.format(Locale.ROOT, " N = %,d |", s.n())));
        out.append("\n|---|").append("---:|".repeat(sizes.size())).append('\n');
        Set<Kind> kinds = new TreeSet<>();
        sizes.forEach(s -> kinds.addAll(requests.apply(s).keySet()));
        for (Kind kind : kinds) {
            out.append("| ").append(kind).append(" |");
            sizes.forEach(s -> out.append(String.format(
                    Locale.ROOT, " %.2f |", (double) requests.apply(s).getOrDefault(kind, 0L) / per.apply(s))));
            out.append('\n');
        }
    }
}
