package dev.imagegallery.bench;

import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.audit.StoreAudit;
import dev.imagegallery.replication.ObjectStore;
import dev.imagegallery.testing.AuditLog;
import dev.imagegallery.testing.Commands;
import dev.imagegallery.testing.ControlPlaneProcess;
import dev.imagegallery.testing.Examples;
import dev.imagegallery.testing.NginxServer;
import dev.imagegallery.testing.PackagedOperator;
import dev.imagegallery.testing.RestartingPod;
import dev.imagegallery.testing.Source;
import dev.imagegallery.testing.StoredFiles;
import dev.imagegallery.testing.TestCluster;
import dev.imagegallery.testing.TestRegions;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Issue 19's soak: two packaged operators with leader election, each restarted when it exits as a
 * pod is ({@link RestartingPod}), while versions are created, promoted and deleted, and every so
 * often one of them is killed or paused past its Lease, kube-apiserver or etcd is down for a while,
 * or the WebDAV store is stopped. Then the faults stop, and the run checks what a user would:
 * every version converges to Ready, every replica its status records is in its store with the
 * source's digest and its marker, no store holds an object no version refers to or a staged copy,
 * and how many writes per minute the API server received from the operator. Seeded
 * ({@code -Dsoak.seed}); {@code -Dsoak.minutes} (30) long. Prints a Markdown report and writes it
 * to target/benchmarks/soak.md.
 */
public final class SoakBenchmark {
    private static final Duration CONVERGE_TIMEOUT = Duration.ofMinutes(10);
    private static final String FILE_REGION = "soak-file";
    private static final String WEB_REGION = "soak-web";

    private final KubernetesClient client = TestCluster.client();
    /** The faults' and the workload's own, so that neither draws from the other's sequence. */
    private final Random random;

    private final Random workloadRandom;
    private final List<String> faults = new ArrayList<>();
    private final AtomicInteger created = new AtomicInteger();
    private final AtomicInteger promoted = new AtomicInteger();
    private final AtomicInteger deleted = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final String ns;
    private final Source image;
    private final NginxServer sources;
    private final NginxServer web;
    private final Path fileStore;

    private SoakBenchmark(long seed, Path work) throws IOException {
        random = new Random(seed);
        workloadRandom = new Random(seed + 1);
        sources = NginxServer.forSources();
        sources.start();
        // 64 MiB served at 64 MiB/s: each copy from the source lasts about a second, so faults land in copies.
        image = sources.steadyImage(64L << 20);
        web = new NginxServer();
        web.start();
        Files.createDirectories(web.root().resolve("store"));
        fileStore = Files.createDirectories(work.resolve("file-store"));
        TestRegions.create(client, FILE_REGION, Map.of("s", fileStore.toUri().toString()));
        TestRegions.create(client, WEB_REGION, Map.of("w", web.uri("/store/").toString()));
        ns = TestCluster.newNamespace("soak");
        Examples.applyUbuntuDefinition(client, ns);
    }

    public static void main(String[] args) {
        BenchmarkMain.runAndExit(() -> run());
    }

    private static void run() throws Exception {
        long seed = Long.getLong("soak.seed", System.nanoTime());
        Duration length = Duration.ofMinutes(Long.getLong("soak.minutes", 30));
        Path work = Files.createTempDirectory("igo-soak");
        SoakBenchmark soak = new SoakBenchmark(seed, work);
        Instant start = Instant.now();
        String report;
        try (RestartingPod a = RestartingPod.start("soak-a");
                RestartingPod b = RestartingPod.start("soak-b")) {
            Thread workload = new Thread(() -> soak.workload(start.plus(length)), "soak-workload");
            workload.setDaemon(true);
            workload.start();
            soak.faults(start.plus(length), List.of(a, b));
            workload.join();
            Instant calm = Instant.now();
            Duration converged = soak.converge();
            report = soak.report(seed, length, start, calm, converged, a.restarts() + b.restarts());
        } finally {
            soak.sources.close();
            soak.web.close();
            // A run's file store holds some 10 GB by its end.
            Commands.deleteTree(work);
        }
        System.out.println(report);
        Path out = TestCluster.projectDir().resolve("target/benchmarks/soak.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
    }

    /** Every 3 s: a new version (six in ten), a version promoted to latest or held back (two), one deleted (two). */
    private void workload(Instant end) {
        List<Integer> numbers = new ArrayList<>();
        while (Instant.now().isBefore(end)) {
            sleep(Duration.ofSeconds(3));
            int dice = workloadRandom.nextInt(10);
            try {
                if (dice < 6 || numbers.isEmpty()) {
                    int number = created.get();
                    client.resource(Examples.version(
                                    ns,
                                    name(number),
                                    "ubuntu-22.04",
                                    "1.0." + number,
                                    FILE_REGION,
                                    sources.steadyImageUrl(),
                                    image.sha256(),
                                    image.size(),
                                    List.of(Map.of("name", FILE_REGION), Map.of("name", WEB_REGION))))
                            .create();
                    numbers.add(number);
                    created.incrementAndGet();
                } else if (dice < 8) {
                    int number = numbers.get(workloadRandom.nextInt(numbers.size()));
                    boolean exclude = workloadRandom.nextBoolean();
                    client.resources(ImageVersion.class)
                            .inNamespace(ns)
                            .withName(name(number))
                            .edit(v -> {
                                v.getSpec().publishingProfile.excludeFromLatest = exclude;
                                return v;
                            });
                    promoted.incrementAndGet();
                } else {
                    Integer number = numbers.remove(workloadRandom.nextInt(numbers.size()));
                    client.resources(ImageVersion.class)
                            .inNamespace(ns)
                            .withName(name(number))
                            .delete();
                    deleted.incrementAndGet();
                }
            } catch (RuntimeException e) {
                // The API server is down or answers without etcd: a user's kubectl would fail the same way.
                refused.incrementAndGet();
            }
        }
    }

    /** Until {@code end}, one fault every 10 to 30 s, each undone before the next. */
    private void faults(Instant end, List<RestartingPod> pods) {
        Instant start = Instant.now();
        while (Instant.now().isBefore(end)) {
            sleep(Duration.ofSeconds(10 + random.nextInt(21)));
            RestartingPod pod = pods.get(random.nextInt(pods.size()));
            int outage = 15 + random.nextInt(31);
            long at = Duration.between(start, Instant.now()).toSeconds();
            String fault = switch (random.nextInt(5)) {
                case 0 -> {
                    String who = holder(pod);
                    pod.container().kill();
                    yield "SIGKILL " + who;
                }
                case 1 -> {
                    String who = holder(pod);
                    PackagedOperator paused = pod.container();
                    paused.pause();
                    sleep(Duration.ofSeconds(20));
                    paused.resume();
                    yield "SIGSTOP 20 s, past the Lease, " + who;
                }
                case 2 -> down(ControlPlaneProcess.apiServer(), outage) + " kube-apiserver";
                case 3 -> down(ControlPlaneProcess.etcd(), outage) + " etcd";
                default -> {
                    web.stop();
                    sleep(Duration.ofSeconds(outage));
                    web.start();
                    yield outage + " s down: WebDAV store";
                }
            };
            faults.add(at + " s: " + fault);
            System.out.println("soak fault: " + faults.get(faults.size() - 1));
        }
    }

    /** The pod's name, and whether it led when the fault came. */
    private static String holder(RestartingPod pod) {
        return pod.name() + (pod.container().leads() ? " (leading)" : " (following)");
    }

    private static String down(ControlPlaneProcess process, int seconds) {
        process.kill();
        sleep(Duration.ofSeconds(seconds));
        process.restart();
        return seconds + " s down:";
    }

    /** Waits until every version is Ready at its generation; returns how long that took. */
    private Duration converge() {
        Instant calm = Instant.now();
        Instant deadline = calm.plus(CONVERGE_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            try {
                if (versions().stream().allMatch(SoakBenchmark::ready)) {
                    return Duration.between(calm, Instant.now());
                }
            } catch (RuntimeException e) {
                // Not answering yet after the last fault.
            }
            sleep(Duration.ofSeconds(1));
        }
        return null;
    }

    private List<ImageVersion> versions() {
        return client.resources(ImageVersion.class).inNamespace(ns).list().getItems();
    }

    private static boolean ready(ImageVersion version) {
        return version.getStatus() != null
                && version.getStatus().conditions != null
                && version.getStatus().conditions.stream()
                        .anyMatch(c -> c.type.equals("Ready")
                                && c.status.name().equals("True")
                                && version.getMetadata().getGeneration().equals(c.observedGeneration));
    }

    private String report(long seed, Duration length, Instant start, Instant calm, Duration converged, int restarts)
            throws IOException {
        List<ImageVersion> versions = versions();
        List<String> problems = new ArrayList<>();
        int replicas = 0;
        for (var store : Map.of(
                        FILE_REGION + "/s",
                        fileStore,
                        WEB_REGION + "/w",
                        web.root().resolve("store"))
                .entrySet()) {
            String region = store.getKey().split("/")[0];
            String storeName = store.getKey().split("/")[1];
            Path root = store.getValue();
            List<StoreAudit.RecordedReplica> recorded =
                    StoreAudit.recorded(versions.stream().filter(SoakBenchmark::ready), region, storeName);
            List<ObjectStore.StoredObject> listing = new ArrayList<>();
            for (String file : StoredFiles.under(root)) {
                listing.add(new ObjectStore.StoredObject(file, Files.size(root.resolve(file))));
            }
            StoreAudit.Findings findings = StoreAudit.audit(listing, recorded, recorded);
            findings.orphans().forEach(o -> problems.add(store.getKey() + " holds an unreferenced object: " + o));
            findings.damaged()
                    .forEach(d -> problems.add(
                            store.getKey() + ": replica " + d.replica().key() + " " + d.problem()));
            listing.stream()
                    .filter(o -> o.path().endsWith(ObjectStore.STAGING_SUFFIX))
                    .forEach(o -> problems.add(store.getKey() + " holds a staged copy: " + o.path()));
            for (StoreAudit.RecordedReplica replica : recorded) {
                Path object = root.resolve(replica.key().objectPath());
                replicas++;
                if (!Files.exists(object) || !image.sha256().equals(Source.sha256Of(object))) {
                    problems.add(store.getKey() + ": replica " + replica.key() + " does not hold the source's bytes");
                } else if (!image.sha256()
                        .equals(StoredFiles.markedDigest(
                                root.resolve(replica.key().objectPath() + ".sha256")))) {
                    problems.add(store.getKey() + ": the marker of " + replica.key() + " vouches for other bytes");
                }
            }
        }
        versions.stream()
                .filter(v -> !ready(v))
                .forEach(v -> problems.add(v.getMetadata().getName() + " is not Ready"));
        Map<Instant, Long> writesPerMinute = AuditLog.writesSince(
                        start,
                        w -> w.user().startsWith("system:serviceaccount:" + PackagedOperator.RELEASE_NAMESPACE + ":"))
                .stream()
                .collect(Collectors.groupingBy(
                        w -> w.received().truncatedTo(ChronoUnit.MINUTES), TreeMap::new, Collectors.counting()));
        long writes =
                writesPerMinute.values().stream().mapToLong(Long::longValue).sum();
        long busiest = writesPerMinute.values().stream()
                .mapToLong(Long::longValue)
                .max()
                .orElse(0);
        StringBuilder out = new StringBuilder();
        out.append("# Soak: ")
                .append(length.toMinutes())
                .append(" minutes of faults, seed ")
                .append(seed)
                .append("\n\n");
        out.append("| | |\n|---|---|\n");
        row(out, "Versions created / promoted or held back / deleted", created + " / " + promoted + " / " + deleted);
        row(out, "User requests refused during outages", String.valueOf(refused.get()));
        row(out, "Faults", String.valueOf(faults.size()));
        row(out, "Operator processes started again after they exited", String.valueOf(restarts));
        row(
                out,
                "All versions Ready after the faults stopped",
                converged == null
                        ? "no, not within " + CONVERGE_TIMEOUT.toMinutes() + " min"
                        : converged.toSeconds() + " s");
        row(out, "Versions at the end / replicas checked by digest", versions.size() + " / " + replicas);
        row(out, "Problems found", String.valueOf(problems.size()));
        row(
                out,
                "Operator writes to imagegallery.dev (audit log)",
                writes + " in " + Duration.between(start, Instant.now()).toMinutes() + " min; busiest minute " + busiest
                        + "; per version created " + String.format("%.1f", (double) writes / created.get()));
        out.append("\n## Faults\n\n");
        faults.forEach(f -> out.append("- ").append(f).append('\n'));
        out.append("\n## Operator writes per minute\n\n");
        writesPerMinute.forEach((minute, count) ->
                out.append("- ").append(minute).append(": ").append(count).append('\n'));
        if (!problems.isEmpty()) {
            out.append("\n## Problems\n\n");
            problems.forEach(p -> out.append("- ").append(p).append('\n'));
        }
        out.append("\nFaults stopped at ").append(calm).append(".\n");
        return out.toString();
    }

    private static void row(StringBuilder out, String what, String value) {
        out.append("| ").append(what).append(" | ").append(value).append(" |\n");
    }

    private static String name(int number) {
        return "ubuntu-22.04-1.0." + number;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted", e));
        }
    }
}
