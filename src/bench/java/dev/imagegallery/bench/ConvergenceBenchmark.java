package dev.imagegallery.bench;

import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.testing.ApiServerRequests;
import dev.imagegallery.testing.Examples;
import dev.imagegallery.testing.OperatorProcess;
import dev.imagegallery.testing.OperatorSettings;
import dev.imagegallery.testing.Source;
import dev.imagegallery.testing.StandaloneOperator;
import dev.imagegallery.testing.TestCluster;
import dev.imagegallery.testing.TestRegions;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ConfigurationService;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Issue 9: the operator against the real local control plane (TestCluster), in this JVM, at N
 * versions (10 galleries, 100 definitions, 3 regions of 2 file:// stores, a 4 KiB source): time
 * to converge, raw status-patch throughput of a plain client at the same concurrency, API
 * requests by kind per version, writes after a restart, heap per cached version, and startup.
 * Sizes: {@code -Dbench.sizes=1000,5000}. Prints a Markdown table and writes it to
 * target/benchmarks/convergence.md.
 */
public final class ConvergenceBenchmark {
    private static final int GALLERIES = 10;
    private static final int DEFINITIONS = 100;
    private static final int CREATE_THREADS = 16;
    /** java-operator-sdk's reconcile thread pool, left at its default: the baseline patches with as many threads. */
    private static final int CONCURRENCY = ConfigurationService.DEFAULT_RECONCILIATION_THREADS_NUMBER;

    private static final Duration QUIET = Duration.ofSeconds(5);
    private static final Duration TIMEOUT = Duration.ofMinutes(20);

    private final KubernetesClient client = TestCluster.client();
    private final OperatorSettings settings;
    private final String namespace;
    private final Source source;
    private final List<Map<String, Object>> targets = new ArrayList<>();

    private ConvergenceBenchmark(Path work) throws Exception {
        settings = OperatorSettings.of(OperatorProcess.config());
        source = Source.of(work.resolve("source/image.img"), 4096);
        String id = UUID.randomUUID().toString().substring(0, 6);
        for (int r = 0; r < 3; r++) {
            String region = "bench-" + id + "-r" + r;
            TestRegions.create(
                    client,
                    region,
                    Map.of(
                            "s1",
                            Files.createDirectories(work.resolve(region + "-s1"))
                                    .toUri()
                                    .toString(),
                            "s2",
                            Files.createDirectories(work.resolve(region + "-s2"))
                                    .toUri()
                                    .toString()));
            targets.add(Map.of("name", region));
        }
        namespace = TestCluster.newNamespace("bench");
        for (int g = 0; g < GALLERIES; g++) {
            GenericKubernetesResource gallery = Examples.get("Gallery", "contoso.images", namespace);
            gallery.getMetadata().setName(gallery(g));
            Examples.set(gallery, "spec.sharing", null);
            client.resource(gallery).create();
        }
        for (int d = 0; d < DEFINITIONS; d++) {
            GenericKubernetesResource definition = Examples.get("ImageDefinition", "ubuntu-22.04", namespace);
            definition.getMetadata().setName(definition(d));
            Examples.set(definition, "spec.galleryName", gallery(d % GALLERIES));
            Examples.set(definition, "spec.identifier.sku", "sku-" + d);
            client.resource(definition).create();
        }
    }

    private static String gallery(int g) {
        return "gallery." + g;
    }

    private static String definition(int d) {
        return String.format("def-%02d", d);
    }

    /** One size's figures. */
    record Row(
            int n,
            double createdPerSecond,
            double convergenceSeconds,
            double versionsPerSecond,
            double rawPatchesPerSecond,
            long versionReconciles,
            long allReconciles,
            ApiServerRequests convergence,
            ApiServerRequests restart,
            double startupMillis,
            long heapBytes) {}

    public static void main(String[] args) {
        // The control plane's shutdown hook and the clients' threads would keep a failed run alive: always exit.
        try {
            run();
            System.exit(0);
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void run() throws Exception {
        List<Integer> sizes = Arrays.stream(
                        System.getProperty("bench.sizes", "1000,5000").split(","))
                .map(String::trim)
                .map(Integer::parseInt)
                .toList();
        long started = System.nanoTime();
        ConvergenceBenchmark bench = new ConvergenceBenchmark(Files.createTempDirectory("igo-bench"));
        List<Row> rows = new ArrayList<>();
        rows.add(bench.idle());
        for (int i = 0; i < sizes.size(); i++) {
            rows.add(bench.round(sizes.get(i), i < sizes.size() - 1));
        }
        String report = Report.markdown(
                rows, bench.settings.replication(), CONCURRENCY, Duration.ofNanos(System.nanoTime() - started));
        System.out.println(report);
        Path out = TestCluster.projectDir().resolve("target/benchmarks/convergence.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println("written to " + out);
    }

    /** N = 0: the operator with the regions, galleries and definitions only. */
    private Row idle() throws Exception {
        log("N=0: starting the operator");
        ReconcileCounter counter = new ReconcileCounter();
        long t0 = System.nanoTime();
        Operator operator = operator(counter);
        operator.start();
        double startup = millisSince(t0);
        counter.awaitIdle(QUIET, 0, TIMEOUT);
        long heap = heapAfterGc();
        operator.stop();
        return new Row(0, 0, 0, 0, 0, 0, counter.allReconciles(), null, null, startup, heap);
    }

    /** One size; {@code thenRemove}: delete the versions afterwards, for the next size (the last one's go with the control plane). */
    private Row round(int n, boolean thenRemove) throws Exception {
        log("N=" + n + ": creating the versions, operator stopped");
        long t0 = System.nanoTime();
        create(n);
        double created = n / (millisSince(t0) / 1000);

        Converged converged = converge(n);

        log("N=" + n + ": restarting the operator");
        ReconcileCounter afterRestart = new ReconcileCounter();
        ApiServerRequests beforeRestart = ApiServerRequests.read(client);
        long t2 = System.nanoTime();
        Operator restarted = operator(afterRestart);
        restarted.start();
        double startup = millisSince(t2);
        afterRestart.awaitIdle(QUIET, n, TIMEOUT);
        ApiServerRequests restartWrites = ApiServerRequests.read(client).since(beforeRestart);
        long heap = heapAfterGc();
        restarted.stop();

        log("N=" + n + ": raw status patches");
        double raw = rawStatusPatches();
        if (thenRemove) {
            log("N=" + n + ": removing the versions");
            removeVersions();
        }
        return new Row(
                n,
                created,
                converged.seconds(),
                n / converged.seconds(),
                raw,
                converged.counter().versionReconciles(),
                converged.counter().allReconciles(),
                converged.requests(),
                restartWrites,
                startup,
                heap);
    }

    private record Converged(double seconds, ReconcileCounter counter, ApiServerRequests requests) {}

    /** Starts the operator on the N pending versions and times it until all are Ready; then counts requests until it is idle. */
    private Converged converge(int n) throws Exception {
        log("N=" + n + ": converging");
        ReconcileCounter counter = new ReconcileCounter();
        ApiServerRequests before = ApiServerRequests.read(client);
        double seconds;
        Operator operator;
        try (ReadyVersions ready = new ReadyVersions(client, namespace)) {
            long t0 = System.nanoTime();
            operator = operator(counter);
            operator.start();
            ready.awaitReady(n, TIMEOUT);
            seconds = millisSince(t0) / 1000;
        }
        log("N=" + n + ": all Ready after " + seconds + " s; waiting until idle");
        counter.awaitIdle(QUIET, n, TIMEOUT);
        ApiServerRequests requests = ApiServerRequests.read(client).since(before);
        operator.stop();
        return new Converged(seconds, counter, requests);
    }

    private Operator operator(ReconcileCounter counter) {
        return StandaloneOperator.of(client, settings, o -> o.withMetrics(counter));
    }

    /** N versions, spread evenly over the definitions, each targeting the three regions; created by a bounded pool. */
    private void create(int n) throws Exception {
        parallel(CREATE_THREADS, IntStream.range(0, n).boxed().toList(), i -> {
            String definition = definition(i % DEFINITIONS);
            String number = n + ".0." + (i / DEFINITIONS);
            client.resource(Examples.version(
                            namespace,
                            definition + "-" + number,
                            definition,
                            number,
                            targets.get(0).get("name").toString(),
                            source.path().toUri().toString(),
                            source.sha256(),
                            source.size(),
                            targets))
                    .create();
        });
    }

    /**
     * Server-side applies the status of every version once, as java-operator-sdk patches a status
     * (same field manager, same full status, one condition's message changed so that each is a real
     * write), from {@link #CONCURRENCY} threads; returns patches per second.
     */
    private double rawStatusPatches() throws Exception {
        List<ImageVersion> patches =
                client.resources(ImageVersion.class).inNamespace(namespace).list().getItems().stream()
                        .map(v -> {
                            ImageVersion patch = new ImageVersion();
                            patch.setMetadata(new ObjectMetaBuilder()
                                    .withName(v.getMetadata().getName())
                                    .withNamespace(namespace)
                                    .build());
                            patch.setStatus(v.getStatus());
                            patch.getStatus().conditions.get(0).message = "raw status patch from the benchmark";
                            return patch;
                        })
                        .toList();
        PatchContext apply = new PatchContext.Builder()
                .withPatchType(PatchType.SERVER_SIDE_APPLY)
                .withFieldManager("imageversion")
                .withForce(true)
                .build();
        long t0 = System.nanoTime();
        parallel(
                CONCURRENCY,
                patches,
                p -> client.resource(p).subresource("status").patch(apply, p));
        return patches.size() / (millisSince(t0) / 1000);
    }

    /** With the operator stopped: deletes the versions and drops their finalizers (their replicas stay in the temp stores). */
    private void removeVersions() throws Exception {
        var versions = client.resources(ImageVersion.class).inNamespace(namespace);
        List<String> names = versions.list().getItems().stream()
                .map(v -> v.getMetadata().getName())
                .toList();
        versions.delete();
        parallel(
                CREATE_THREADS,
                names,
                name -> versions.withName(name)
                        .patch(
                                PatchContext.of(PatchType.JSON),
                                "[{\"op\":\"remove\",\"path\":\"/metadata/finalizers\"}]"));
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!versions.list().getItems().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
    }

    private static <T> void parallel(int threads, List<T> items, Consumer<T> action) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = items.stream()
                    .<Future<?>>map(item -> pool.submit(() -> action.accept(item)))
                    .toList();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Heap in use after full collections (the smallest of three readings), with the operator running and idle. */
    private static long heapAfterGc() throws InterruptedException {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(300);
            least = Math.min(
                    least,
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return least;
    }

    private static double millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1e6;
    }

    private static void log(String message) {
        System.out.printf("[bench %tT] %s%n", System.currentTimeMillis(), message);
    }
}
