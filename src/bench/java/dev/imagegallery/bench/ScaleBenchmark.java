package dev.imagegallery.bench;

import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.testing.ApiServerRequests;
import dev.imagegallery.testing.Examples;
import dev.imagegallery.testing.PackagedOperator;
import dev.imagegallery.testing.Source;
import dev.imagegallery.testing.TestCluster;
import dev.imagegallery.testing.TestRegions;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.config.ConfigurationService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * Issue 18: the operator as shipped (the packaged jar in a JVM of its own, with the chart's
 * environment, heap settings and ServiceAccount: {@link PackagedOperator}) against the real local
 * control plane, measured from outside as a user sees it. Per size N ({@code -Dbench.sizes}):
 * cold start of N pending versions against the API server's raw write rate, restart (startup,
 * writes, heap), and the steady state of K new versions applied with N converged. Prints a
 * Markdown report and writes it to target/benchmarks/scale.md.
 */
public final class ScaleBenchmark {
    /** Several tenants' namespaces, as on a platform cluster; each stays below the 10,000 versions per region quota. */
    private static final int NAMESPACES = 4;

    private static final int GALLERIES = 5;
    private static final int DEFINITIONS = 25;
    private static final int NEW_VERSIONS = 200;
    private static final int NEW_PER_SECOND = 10;
    private static final int CREATE_THREADS = 16;
    private static final int RAW_PATCHES = 5_000;
    /** java-operator-sdk's reconcile thread pool, which the operator leaves at its default: the raw writes use as many threads. */
    private static final int CONCURRENCY = ConfigurationService.DEFAULT_RECONCILIATION_THREADS_NUMBER;

    private static final String LABEL = "bench.imagegallery.dev/run";
    private static final Duration QUIET = Duration.ofSeconds(5);
    private static final Duration TIMEOUT = Duration.ofMinutes(60);

    private final KubernetesClient client = TestCluster.client();
    private final String run = UUID.randomUUID().toString().substring(0, 6);
    private final List<String> namespaces = new ArrayList<>();
    private final Source source;
    private final List<Map<String, Object>> targets = new ArrayList<>();
    private int operators;

    private ScaleBenchmark(Path stores, Path work) throws Exception {
        source = Source.of(work.resolve("source/image.img"), 4096);
        for (int r = 0; r < 3; r++) {
            String region = "bench-" + run + "-r" + r;
            Map<String, String> endpoints = new HashMap<>();
            for (String store : List.of("s1", "s2")) {
                endpoints.put(
                        store,
                        Files.createDirectories(stores.resolve(region + "-" + store))
                                .toUri()
                                .toString());
            }
            TestRegions.create(client, region, endpoints);
            targets.add(Map.of("name", region));
        }
        for (int n = 0; n < NAMESPACES; n++) {
            String namespace = TestCluster.newNamespace("bench");
            namespaces.add(namespace);
            for (int g = 0; g < GALLERIES; g++) {
                GenericKubernetesResource gallery = Examples.get("Gallery", "contoso.images", namespace);
                gallery.getMetadata().setName("gallery." + g);
                Examples.set(gallery, "spec.sharing", null);
                client.resource(gallery).create();
            }
            for (int d = 0; d < DEFINITIONS; d++) {
                GenericKubernetesResource definition = Examples.get("ImageDefinition", "ubuntu-22.04", namespace);
                definition.getMetadata().setName(definition(d));
                Examples.set(definition, "spec.galleryName", "gallery." + d % GALLERIES);
                Examples.set(definition, "spec.identifier.sku", "sku-" + d);
                client.resource(definition).create();
            }
        }
    }

    private static String definition(int d) {
        return String.format("def-%02d", d);
    }

    public static void main(String[] args) {
        BenchmarkMain.runAndExit(() -> run());
    }

    private static void run() throws Exception {
        List<Integer> sizes = Arrays.stream(
                        System.getProperty("bench.sizes", "5000,20000").split(","))
                .map(String::trim)
                .map(Integer::parseInt)
                .toList();
        long started = System.nanoTime();
        Path shm = Path.of("/dev/shm");
        Path stores = Files.createTempDirectory(Files.isDirectory(shm) ? shm : Path.of("target"), "igo-bench-stores");
        ScaleBenchmark bench = new ScaleBenchmark(stores, Files.createTempDirectory("igo-bench"));
        List<Report.Size> rows = new ArrayList<>();
        rows.add(bench.idle());
        for (int n : sizes) {
            rows.add(bench.size(n));
            // After each size, so that a larger one that fails (the operator out of memory, say) leaves the others.
            write(Report.markdown(
                    rows, NEW_VERSIONS, NEW_PER_SECOND, CONCURRENCY, Duration.ofNanos(System.nanoTime() - started)));
        }
    }

    private static void write(String report) throws IOException {
        System.out.println(report);
        Path out = TestCluster.projectDir().resolve("target/benchmarks/scale.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println("written to " + out);
    }

    /** N = 0: the operator with the regions, galleries and definitions only; then K new versions. */
    private Report.Size idle() throws Exception {
        log("N=0: starting the operator");
        try (PackagedOperator operator = start()) {
            Report.Restart start = restart(operator, 0);
            warmUp(operator);
            Report.Steady steady = steady(operator, 0);
            return new Report.Size(0, null, start, steady, 0);
        }
    }

    /**
     * Before the steady state at M = 0: K versions created, Ready, then deleted, so that the operator measured
     * there has run its code as often as the one measured at M = N, minutes into the run (a cold JIT would
     * make M = 0 slower and flatter the ratio).
     */
    private void warmUp(PackagedOperator operator) throws Exception {
        log("N=0: warming up: " + NEW_VERSIONS + " versions created, Ready, then deleted");
        try (ReadyVersions ready = ReadyVersions.all(client, LABEL, run)) {
            create(NEW_VERSIONS, i -> number(0, 9, i), CREATE_THREADS);
            ready.awaitReady(NEW_VERSIONS, TIMEOUT);
        }
        var versions = client.resources(ImageVersion.class).inAnyNamespace().withLabel(LABEL, run);
        parallel(
                CREATE_THREADS,
                versions.list().getItems(),
                v -> client.resource(v).delete());
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!versions.list().getItems().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the warm-up versions were not deleted within " + TIMEOUT);
            }
            Thread.sleep(500);
        }
        OperatorReadings.awaitIdle(operator, 0, QUIET, TIMEOUT);
    }

    /** One size: cold start of N pending versions, a restart on them converged, K new versions, the raw write rate. */
    private Report.Size size(int n) throws Exception {
        log("N=" + n + ": removing the earlier versions, then creating " + n + " with the operator stopped");
        removeVersions();
        create(n, i -> number(n, 0, i), CREATE_THREADS);

        Report.ColdStart cold = coldStart(n);
        Report.Restart restart;
        Report.Steady steady;
        log("N=" + n + ": restarting the operator");
        try (PackagedOperator operator = start()) {
            restart = restart(operator, n);
            steady = steady(operator, n);
        }
        log("N=" + n + ": raw status writes, operator stopped");
        return new Report.Size(n, cold, restart, steady, rawStatusWrites());
    }

    private PackagedOperator start() {
        return PackagedOperator.start("bench-" + operators++, Map.of(), OperatorReadings.RECONCILE_LOG);
    }

    /** Starts the operator on N pending versions and times it until all are Ready; then counts until it is idle. */
    private Report.ColdStart coldStart(int n) throws Exception {
        log("N=" + n + ": cold start");
        ApiServerRequests before = ApiServerRequests.everyGroup(client);
        try (ReadyVersions ready = ReadyVersions.all(client, LABEL, run)) {
            PackagedOperator operator = start();
            try (operator) {
                long t0 = System.nanoTime();
                ready.awaitReady(n, TIMEOUT);
                double seconds = (System.nanoTime() - t0) / 1e9;
                log("N=" + n + ": all Ready after " + seconds + " s; waiting until idle");
                OperatorReadings.awaitIdle(operator, n, QUIET, TIMEOUT);
                ApiServerRequests requests =
                        ApiServerRequests.everyGroup(client).since(before);
                return new Report.ColdStart(
                        seconds,
                        requests,
                        OperatorReadings.reconciles(operator, "imageversion"),
                        OperatorReadings.cpuSeconds(operator));
            }
        }
    }

    /** An operator just started on N converged versions: startup, writes until idle, heap. */
    private Report.Restart restart(PackagedOperator operator, int n) throws Exception {
        ApiServerRequests before = ApiServerRequests.everyGroup(client);
        Duration startup = operator.awaitReady(TIMEOUT);
        OperatorReadings.awaitIdle(operator, n, QUIET, TIMEOUT);
        ApiServerRequests requests = ApiServerRequests.everyGroup(client).since(before);
        long heap = OperatorReadings.heapAfterGc(operator);
        // What the heap holds, for whoever wants to make it smaller.
        Path histogram = TestCluster.projectDir().resolve("target/benchmarks/heap-classes-" + n + ".txt");
        Files.createDirectories(histogram.getParent());
        Files.writeString(histogram, OperatorReadings.classHistogram(operator, 60));
        return new Report.Restart(startup, requests, heap);
    }

    /**
     * With M converged versions and the operator idle: K new versions created at a steady pace, each
     * timed from its create request to the watch seeing it Ready; then requests, reconciles and CPU
     * until the operator is idle again.
     */
    private Report.Steady steady(PackagedOperator operator, int m) throws Exception {
        log("M=" + m + ": " + NEW_VERSIONS + " new versions, " + NEW_PER_SECOND + "/s");
        Map<String, Long> createdAt = new ConcurrentHashMap<>();
        ApiServerRequests before = ApiServerRequests.everyGroup(client);
        long reconcilesBefore = OperatorReadings.reconciles(operator, "imageversion");
        double cpuBefore = OperatorReadings.cpuSeconds(operator);
        long logBefore = operator.logSize();
        try (ReadyVersions ready = ReadyVersions.created(client, LABEL, run)) {
            long t0 = System.nanoTime();
            create(
                    NEW_VERSIONS,
                    i -> number(m, 1, i),
                    (namespace, name) -> {
                        long due = t0 + (long) (createdAt.size() * 1e9 / NEW_PER_SECOND);
                        sleepUntil(due);
                        createdAt.put(ReadyVersions.key(namespace, name), System.nanoTime());
                    },
                    1);
            ready.awaitReady(createdAt.keySet(), TIMEOUT);
            OperatorReadings.awaitIdle(operator, 0, QUIET, TIMEOUT);
            List<Double> latencies = createdAt.entrySet().stream()
                    .map(e -> (ready.readyAt(e.getKey()) - e.getValue()) / 1e6)
                    .sorted()
                    .toList();
            Set<String> created = createdAt.keySet();
            List<String> dispatched = OperatorReadings.dispatchedVersions(operator.logSince(logBefore));
            if (dispatched.isEmpty()) {
                throw new IllegalStateException(
                        "the operator logged no reconcile: its debug line is off, so reconciles of"
                                + " unchanged versions cannot be counted");
            }
            long unchanged =
                    dispatched.stream().filter(key -> !created.contains(key)).count();
            return new Report.Steady(
                    latencies,
                    ApiServerRequests.everyGroup(client).since(before),
                    OperatorReadings.reconciles(operator, "imageversion") - reconcilesBefore,
                    unchanged,
                    OperatorReadings.cpuSeconds(operator) - cpuBefore);
        }
    }

    /** The number of the i-th version of a batch: {@code <size>.<batch>.<index within its definition>}. */
    private static String number(int size, int batch, int i) {
        return size + "." + batch + "." + i / (NAMESPACES * DEFINITIONS);
    }

    private interface BeforeCreate {
        void accept(String namespace, String name);
    }

    private void create(int count, IntFunction<String> number, int threads) throws Exception {
        create(count, number, (namespace, name) -> {}, threads);
    }

    /** {@code count} versions, spread evenly over the namespaces and their definitions, each targeting the three regions. */
    private void create(int count, IntFunction<String> number, BeforeCreate beforeCreate, int threads)
            throws Exception {
        parallel(threads, IntStream.range(0, count).boxed().toList(), i -> {
            String namespace = namespaces.get(i % NAMESPACES);
            String definition = definition(i / NAMESPACES % DEFINITIONS);
            String name = definition + "-" + number.apply(i);
            GenericKubernetesResource version = Examples.version(
                    namespace,
                    name,
                    definition,
                    number.apply(i),
                    targets.get(0).get("name").toString(),
                    source.path().toUri().toString(),
                    source.sha256(),
                    source.size(),
                    targets);
            version.getMetadata().setLabels(Map.of(LABEL, run));
            beforeCreate.accept(namespace, name);
            client.resource(version).create();
        });
    }

    /**
     * With the operator stopped: server-side applies the status of up to {@link #RAW_PATCHES}
     * versions once, as java-operator-sdk writes a status (same field manager, the whole status, one
     * condition's message changed so that each is a real write), from {@link #CONCURRENCY} threads;
     * returns writes per second.
     */
    private double rawStatusWrites() throws Exception {
        List<ImageVersion> patches =
                client.resources(ImageVersion.class).inAnyNamespace().withLabel(LABEL, run).list().getItems().stream()
                        .limit(RAW_PATCHES)
                        .map(v -> {
                            ImageVersion patch = new ImageVersion();
                            patch.setMetadata(new ObjectMetaBuilder()
                                    .withName(v.getMetadata().getName())
                                    .withNamespace(v.getMetadata().getNamespace())
                                    .build());
                            patch.setStatus(v.getStatus());
                            patch.getStatus().conditions.get(0).message = "raw status write from the benchmark";
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
        return patches.size() / ((System.nanoTime() - t0) / 1e9);
    }

    /**
     * With the operator stopped: drops the finalizers of the benchmark's versions and deletes them, one
     * request each (a delete of a whole collection of thousands outlasts the client's request timeout);
     * their replicas stay in the stores.
     */
    private void removeVersions() throws Exception {
        var versions = client.resources(ImageVersion.class).inAnyNamespace().withLabel(LABEL, run);
        parallel(CREATE_THREADS, versions.list().getItems(), v -> {
            var version = client.resources(ImageVersion.class)
                    .inNamespace(v.getMetadata().getNamespace())
                    .withName(v.getMetadata().getName());
            version.edit(existing -> {
                existing.getMetadata().setFinalizers(List.of());
                return existing;
            });
            version.delete();
        });
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

    private static void sleepUntil(long nanos) {
        long wait = nanos - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static void log(String message) {
        System.out.printf("[bench %tT] %s%n", System.currentTimeMillis(), message);
    }
}
