package dev.imagegallery.replication;

import com.sun.management.GcInfo;
import dev.imagegallery.testing.OciLayout;
import dev.imagegallery.testing.OciRegistry;
import dev.imagegallery.testing.S3Server;
import dev.imagegallery.testing.Skopeo;
import dev.imagegallery.testing.TestPki;
import dev.imagegallery.testing.TestSources;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Throughput of the copier into the S3 and OCI store kinds against each server's own client on the
 * same file in the same run, and the heap each copy takes (issue 16: a 2 GiB source copied with heap
 * growth below 64 MiB, at 0.8 or more of the plain client's rate).
 *
 * <ul>
 *   <li>{@code sdk multipart}: the file uploaded to versitygw (TLS, test CA) with an AWS SDK v2 client
 *       of its own, outside the copier: CreateMultipartUpload, the parts one after the other, each
 *       read from the file and sent with an S3 SHA-256 checksum, in the parts {@link S3Parts} picks
 *       for the operator, then CompleteMultipartUpload. The requests the S3 store sends, without the
 *       copier's reading and hashing.
 *   <li>{@code copier file->s3}: {@link VerifiedCopier} into an {@link S3ObjectStore} on the same server.
 *   <li>{@code skopeo copy}: {@code skopeo copy --preserve-digests oci:<layout>:bench docker://...} to
 *       docker-registry (TLS, htpasswd) of an OCI layout holding the file as the one uncompressed layer
 *       of a containerDisk, written before the rounds and not timed.
 *   <li>{@code copier file->oci}: {@link VerifiedCopier} into an {@link OciObjectStore} on the same registry.
 * </ul>
 *
 * <p>Between steps the objects and images are deleted, the registry's storage on disk is emptied
 * (it keeps blobs by digest, and skopeo skips a blob the registry has; each OCI step checks its layer
 * arrived anew) and {@code sync} writes back what the step left dirty; none of it is timed.
 *
 * <p>It prints each step's median rate, the two ratios against the goal, the heap of each copier
 * round, and where the time went: CPU seconds per step of this JVM, skopeo and each server, how
 * long versitygw took to complete the SDK's upload, and which HTTP version each client's layer
 * upload used (from the registry's log).
 *
 * <p>Run: {@code mvn -B -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.imagegallery.replication.ObjectStoreThroughputBenchmark [-Dexec.args="MiB rounds [s3|oci]"]}
 * (defaults: 2048 MiB, 3 rounds, both kinds); docs/benchmarks-replication.md has the results. Needs versitygw (hack/provision.sh), docker-registry, htpasswd,
 * skopeo and openssl.
 */
public final class ObjectStoreThroughputBenchmark {
    private static final long MIB = BenchmarkRounds.MIB;
    /** Issue 16: a copy must stream, whatever the size of the image. */
    private static final long HEAP_LIMIT = 64 * MIB;

    private static final ReplicaKey KEY =
            new ReplicaKey(new VersionKey("bench", "gallery", "image", "1.0.0"), "local", 0);
    private static final String BUCKET = "bench";
    private static final String SDK_KEY = "sdk/image.raw";
    private static final String TAG = "bench";
    private static final Set<String> STEPS = Set.of("s3", "oci");

    private final Path work;
    private final Path image;
    private final long size;
    private final String sha256;
    private final S3Server s3;
    private final OciRegistry registry;
    private final Set<String> kinds;
    private final StoreClients clients = new StoreClients(Duration.ofSeconds(5));
    private final VerifiedCopier copier =
            new VerifiedCopier(new NoMetrics(), Duration.ofSeconds(1), WriteFence.open("test"));
    private final BenchmarkRounds rounds;
    private final List<String> heapLines = new ArrayList<>();
    private final Map<String, List<CpuClock.Reading>> cpu = new LinkedHashMap<>();
    /** How long versitygw took to answer CompleteMultipartUpload in the timed SDK uploads. */
    private final List<Double> completeSeconds = new ArrayList<>();

    private final S3Client sdk;
    private Path layout;
    private long layoutLayerSize;

    private ObjectStoreThroughputBenchmark(
            Path work, Path image, long size, String sha256, S3Server s3, OciRegistry registry, Set<String> kinds) {
        this.work = work;
        this.image = image;
        this.size = size;
        this.sha256 = sha256;
        this.s3 = s3;
        this.registry = registry;
        this.kinds = kinds;
        this.rounds = new BenchmarkRounds(size);
        this.sdk = sdkClient(s3);
    }

    public static void main(String[] args) throws Exception {
        long mebibytes = args.length > 0 ? Long.parseLong(args[0]) : 2048;
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        // A third argument, s3 or oci, runs one kind only (for profiling).
        Set<String> kinds = args.length > 2 ? Set.of(args[2]) : STEPS;
        if (!STEPS.containsAll(kinds)) {
            throw new IllegalArgumentException("the third argument is s3 or oci, not " + kinds);
        }
        Path work = Files.createTempDirectory("store-benchmark-");
        try (TestPki pki = TestPki.create();
                S3Server s3 = new S3Server(pki);
                OciRegistry registry = new OciRegistry(pki)) {
            s3.start();
            registry.start();
            s3.createBucket(BUCKET);
            Path image = work.resolve("image.raw");
            String sha256 = BenchmarkRounds.writeRandom(image, mebibytes * MIB);
            ObjectStoreThroughputBenchmark benchmark =
                    new ObjectStoreThroughputBenchmark(work, image, mebibytes * MIB, sha256, s3, registry, kinds);
            if (kinds.contains("oci")) {
                benchmark.writeLayout();
            }
            double loadBefore = BenchmarkRounds.loadAverage();
            // Lets the JIT compile the SDK's and the copier's paths before anything is timed.
            benchmark.round(false);
            benchmark.completeSeconds.clear();
            for (int round = 1; round <= count; round++) {
                benchmark.round(true);
            }
            benchmark.report(mebibytes, count);
            System.out.printf(
                    "load average (1 min) %.2f before, %.2f after%n", loadBefore, BenchmarkRounds.loadAverage());
        } finally {
            BenchmarkRounds.deleteTree(work);
        }
    }

    /** The OCI layout skopeo pushes: the file as the one uncompressed layer of a containerDisk. */
    private void writeLayout() throws IOException {
        layout = Files.createDirectories(work.resolve("layout"));
        String digest = OciLayout.write(layout, TAG, image, 107, 107, Map.of()).layerDigest();
        layoutLayerSize = Files.size(layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length())));
    }

    private void round(boolean timed) throws Exception {
        if (kinds.contains("s3")) {
            step(timed, "sdk multipart", this::sdkUpload, this::deleteSdkUpload);
            ObjectStore store = s3Store();
            copierStep(timed, "copier file->s3", store, () -> store.delete(KEY));
        }
        if (kinds.contains("oci")) {
            Skopeo skopeo = registry.skopeo();
            String reference = registry.host() + "/bench/skopeo:" + TAG;
            step(timed, "skopeo copy", () -> skopeo.copyFromLayout(layout, TAG, reference), () -> {
                requireUploaded(layoutLayerSize);
                skopeo.delete(reference);
                emptyRegistry();
            });
            ObjectStore store = ociStore();
            copierStep(timed, "copier file->oci", store, () -> {
                requireUploaded(ContainerDiskLayer.of(KEY, size).size());
                store.delete(KEY);
                emptyRegistry();
            });
        }
    }

    private void step(boolean timed, String name, BenchmarkRounds.Step step, BenchmarkRounds.Step cleanUp)
            throws Exception {
        BenchmarkRounds.Step written = () -> {
            cleanUp.run();
            // What the step wrote goes to the disk now, not during the next step.
            BenchmarkRounds.run("sync");
        };
        if (timed) {
            rounds.time(
                    name,
                    () -> {
                        CpuClock.Reading start = CpuClock.read();
                        step.run();
                        cpu.computeIfAbsent(name, n -> new ArrayList<>())
                                .add(CpuClock.read().minus(start));
                    },
                    written);
        } else {
            step.run();
            written.run();
        }
    }

    /** A copier step, with the heap it took: sampled every 100 ms, and after a collection at its end. */
    private void copierStep(boolean timed, String name, ObjectStore store, BenchmarkRounds.Step cleanUp)
            throws Exception {
        HeapWatch heap = new HeapWatch();
        // The collections that measure the heap before and after are not timed.
        heap.start();
        step(
                timed,
                name,
                () -> {
                    try {
                        copier.replicate(job(store), (copied, total) -> {});
                    } finally {
                        heap.stopSampling();
                    }
                },
                () -> {
                    heap.finish();
                    if (!store.verify(KEY, sha256, size)) {
                        throw new IllegalStateException(name + " left no verified replica");
                    }
                    cleanUp.run();
                });
        if (timed) {
            heapLines.add(String.format("  %-20s round %d: %s", name, rounds.count(name), heap));
            if (heap.peakAfterGc() >= HEAP_LIMIT || heap.afterGc() >= HEAP_LIMIT) {
                heapLines.add(String.format("  %-20s heap growth NOT below %d MiB", name, HEAP_LIMIT / MIB));
            }
        }
    }

    /** The baseline: the multipart upload the S3 store makes, sent by a plain SDK client reading the file. */
    private void sdkUpload() throws IOException {
        S3Parts parts = S3Parts.of(size, S3Parts.DEFAULT_MIN_PART_SIZE);
        String uploadId = sdk.createMultipartUpload(
                        request -> request.bucket(BUCKET).key(SDK_KEY).checksumAlgorithm(ChecksumAlgorithm.SHA256))
                .uploadId();
        List<CompletedPart> completed = new ArrayList<>(parts.count());
        long offset = 0;
        for (int number = 1; number <= parts.count(); number++) {
            int partNumber = number;
            long length = parts.length(number);
            long start = offset;
            UploadPartResponse response = sdk.uploadPart(
                    request -> request.bucket(BUCKET)
                            .key(SDK_KEY)
                            .uploadId(uploadId)
                            .partNumber(partNumber)
                            .contentLength(length)
                            .checksumAlgorithm(ChecksumAlgorithm.SHA256),
                    RequestBody.fromContentProvider(() -> slice(start, length), length, "application/octet-stream"));
            completed.add(CompletedPart.builder()
                    .partNumber(partNumber)
                    .eTag(response.eTag())
                    .checksumSHA256(response.checksumSHA256())
                    .build());
            offset += length;
        }
        long start = System.nanoTime();
        sdk.completeMultipartUpload(request ->
                request.bucket(BUCKET).key(SDK_KEY).uploadId(uploadId).multipartUpload(u -> u.parts(completed)));
        completeSeconds.add((System.nanoTime() - start) / 1e9);
    }

    private void deleteSdkUpload() {
        long stored =
                sdk.headObject(request -> request.bucket(BUCKET).key(SDK_KEY)).contentLength();
        if (stored != size) {
            throw new IllegalStateException("the SDK's upload holds " + stored + " bytes, not " + size);
        }
        sdk.deleteObject(request -> request.bucket(BUCKET).key(SDK_KEY));
    }

    /**
     * {@code length} bytes of the file from {@code start}, as a stream read in MiBs: the SDK's HTTP
     * client asks for 4 KiB at a time, and a read of the file for each would cost the baseline CPU
     * that no user of the SDK needs to spend (measured: 2.6 against 2.0 CPU seconds for 512 MiB).
     */
    private InputStream slice(long start, long length) {
        try {
            FileChannel channel = FileChannel.open(image, StandardOpenOption.READ);
            channel.position(start);
            InputStream in = new BufferedInputStream(Channels.newInputStream(channel), (int) MIB);
            return new InputStream() {
                private long remaining = length;

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] buffer, int offset, int count) throws IOException {
                    if (remaining == 0) {
                        return -1;
                    }
                    int n = in.read(buffer, offset, (int) Math.min(count, remaining));
                    if (n > 0) {
                        remaining -= n;
                    }
                    return n;
                }

                @Override
                public void close() throws IOException {
                    in.close();
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An SDK client of the server's own, as a user outside the operator would make it: TLS with the test CA. */
    private static S3Client sdkClient(S3Server s3) {
        return S3Client.builder()
                .endpointOverride(s3.url())
                .region(Region.of(s3.region()))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(s3.accessKeyId(), s3.secretAccessKey())))
                .httpClientBuilder(ApacheHttpClient.builder()
                        .tlsTrustManagersProvider(() -> TestPki.trustManagersTrusting(s3.caCertificate())))
                // The checksums the S3 store sends: SHA-256 of each part, no CRC32 of the SDK's own.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .build();
    }

    private ObjectStore s3Store() throws StoreUnavailableException {
        return ObjectStore.open(
                new StoreConnection(
                        URI.create("s3://" + BUCKET + "/copier"),
                        Optional.of(new StoreConnection.S3Service(s3.url(), s3.region(), true)),
                        new StoreCredentials.AccessKeys(s3.accessKeyId(), s3.secretAccessKey(), null),
                        Optional.of(s3.caPem())),
                clients);
    }

    private ObjectStore ociStore() throws StoreUnavailableException {
        return ObjectStore.open(
                new StoreConnection(
                        URI.create("oci://" + registry.host() + "/bench"),
                        Optional.empty(),
                        new StoreCredentials.UsernamePassword(registry.username(), registry.password()),
                        Optional.of(registry.caPem())),
                clients);
    }

    /**
     * Fails unless the registry's storage holds a blob of {@code layerSize} bytes. It held none before
     * the step ({@link #emptyRegistry}), so the step uploaded the layer rather than finding it there.
     */
    private void requireUploaded(long layerSize) throws IOException {
        boolean found;
        try (Stream<Path> files = Files.walk(blobs())) {
            found = files.filter(file -> file.getFileName().toString().equals("data"))
                    .anyMatch(file -> file.toFile().length() == layerSize);
        }
        if (!found) {
            throw new IllegalStateException("the registry holds no blob of " + layerSize + " bytes after the push");
        }
    }

    private Path blobs() {
        return registry.storage().resolve("docker/registry/v2/blobs");
    }

    /** Removes every blob and repository from the registry's disk: the next push finds none to skip. */
    private void emptyRegistry() throws IOException {
        BenchmarkRounds.deleteTree(registry.storage().resolve("docker/registry/v2"));
    }

    /** How many PATCH requests the registry served, by user agent and HTTP version, as its access log shows them. */
    private Map<String, Long> patches() throws IOException {
        Pattern patch = Pattern.compile("\"PATCH [^\"]* (HTTP/[0-9.]+)\" \\d+ \\d+ \"[^\"]*\" \"([^\"/]*)");
        try (Stream<String> lines = Files.lines(registry.logFile())) {
            return lines.map(patch::matcher)
                    .filter(Matcher::find)
                    .collect(Collectors.groupingBy(
                            match -> match.group(2) + " " + match.group(1), TreeMap::new, Collectors.counting()));
        }
    }

    private CopyJob job(ObjectStore store) {
        return new CopyJob(KEY, TestSources.access().source(image.toUri().toString()), sha256, size, store);
    }

    private void report(long mebibytes, int count) throws IOException {
        rounds.printRates(mebibytes, count);
        if (kinds.contains("s3")) {
            rounds.printRatio("copier file->s3", "sdk multipart");
        }
        if (kinds.contains("oci")) {
            rounds.printRatio("copier file->oci", "skopeo copy");
        }
        if (!completeSeconds.isEmpty()) {
            System.out.printf(
                    "sdk multipart: CompleteMultipartUpload took %.2f s (median), included above%n",
                    BenchmarkRounds.median(completeSeconds));
        }
        if (kinds.contains("oci")) {
            System.out.println("layer uploads (PATCH) in the registry's log, by client and HTTP version: " + patches());
        }
        System.out.println("CPU seconds of each step, median of the rounds (where the time goes):");
        cpu.forEach((name, readings) -> System.out.printf("  %-20s %s%n", name, CpuClock.Reading.median(readings)));
        System.out.printf(
                "heap growth of each copy over the heap after a collection before it (MiB; issue 16: below %d):%n",
                HEAP_LIMIT / MIB);
        heapLines.forEach(System.out::println);
    }

    /**
     * The heap a copy takes, above the heap left after a collection just before it: the highest heap
     * use sampled every 100 ms (live objects and garbage not yet collected, so up to the young
     * generation's size more than the copy keeps), the highest heap left by any collection during
     * the copy (what it keeps alive, plus old garbage no collection has looked at yet), and the heap
     * after a collection at its end (what it left behind).
     */
    private static final class HeapWatch {
        private final AtomicLong peakUsed = new AtomicLong();
        private final AtomicLong peakAfterGc = new AtomicLong();
        private long before;
        private long collectionsBefore;
        private long[] result;
        private volatile boolean stopped;
        private Thread sampler;

        void start() throws InterruptedException {
            before = usedAfterGc();
            collectionsBefore = collections();
            peakUsed.set(before);
            peakAfterGc.set(before);
            stopped = false;
            sampler = new Thread(
                    () -> {
                        while (!stopped) {
                            peakUsed.accumulateAndGet(used(), Math::max);
                            peakAfterGc.accumulateAndGet(afterLatestCollection(), Math::max);
                            try {
                                Thread.sleep(100);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    },
                    "heap-sampler");
            sampler.setDaemon(true);
            sampler.start();
        }

        void stopSampling() throws InterruptedException {
            stopped = true;
            sampler.join();
            peakUsed.accumulateAndGet(used(), Math::max);
            peakAfterGc.accumulateAndGet(afterLatestCollection(), Math::max);
        }

        void finish() throws InterruptedException {
            long collections = collections() - collectionsBefore;
            result =
                    new long[] {peakUsed.get() - before, peakAfterGc.get() - before, usedAfterGc() - before, collections
                    };
        }

        long peakAfterGc() {
            return result[1];
        }

        long afterGc() {
            return result[2];
        }

        @Override
        public String toString() {
            return String.format(
                    "peak used %+7.1f   peak after a GC %+6.1f (%d GCs)   after a GC at the end %+6.1f",
                    result[0] / (double) MIB, result[1] / (double) MIB, result[3], result[2] / (double) MIB);
        }

        private static long used() {
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }

        private static long collections() {
            return ManagementFactory.getGarbageCollectorMXBeans().stream()
                    .mapToLong(GarbageCollectorMXBean::getCollectionCount)
                    .sum();
        }

        /** The heap the most recent collection (of any collector: young, mixed or full) left. */
        private static long afterLatestCollection() {
            GcInfo latest = null;
            for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (collector instanceof com.sun.management.GarbageCollectorMXBean withInfo) {
                    GcInfo info = withInfo.getLastGcInfo();
                    if (info != null && (latest == null || info.getEndTime() > latest.getEndTime())) {
                        latest = info;
                    }
                }
            }
            if (latest == null) {
                return 0;
            }
            Set<String> heapPools = new HashSet<>();
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    heapPools.add(pool.getName());
                }
            }
            return latest.getMemoryUsageAfterGc().entrySet().stream()
                    .filter(pool -> heapPools.contains(pool.getKey()))
                    .mapToLong(pool -> pool.getValue().getUsed())
                    .sum();
        }

        private static long usedAfterGc() throws InterruptedException {
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(50);
            }
            return used();
        }
    }

    /**
     * CPU time, from /proc: of this JVM (the copier, the SDK baseline and the clients), of the
     * commands it ran and waited for (skopeo), and of each server it started (versitygw,
     * docker-registry). On 2 shared cores, what a step spends here is what load takes away from it.
     */
    private static final class CpuClock {
        private static final double TICK = 100.0;

        record Reading(double jvm, double commands, double versitygw, double registry) {
            Reading minus(Reading other) {
                return new Reading(
                        jvm - other.jvm,
                        commands - other.commands,
                        versitygw - other.versitygw,
                        registry - other.registry);
            }

            static Reading median(List<Reading> readings) {
                return new Reading(
                        BenchmarkRounds.median(
                                readings.stream().map(Reading::jvm).toList()),
                        BenchmarkRounds.median(
                                readings.stream().map(Reading::commands).toList()),
                        BenchmarkRounds.median(
                                readings.stream().map(Reading::versitygw).toList()),
                        BenchmarkRounds.median(
                                readings.stream().map(Reading::registry).toList()));
            }

            @Override
            public String toString() {
                return String.format(
                        "JVM %5.1f   skopeo %5.1f   versitygw %5.1f   docker-registry %5.1f",
                        jvm, commands, versitygw, registry);
            }
        }

        static Reading read() throws IOException {
            long[] self = ticks(Path.of("/proc/self/stat"));
            return new Reading(
                    ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                                    .getProcessCpuTime()
                            / 1e9,
                    (self[2] + self[3]) / TICK,
                    server("versitygw"),
                    server("docker-registry"));
        }

        /** The CPU seconds of the running child process whose command ends with {@code name}. */
        private static double server(String name) throws IOException {
            for (ProcessHandle child : ProcessHandle.current().children().toList()) {
                if (child.info().command().orElse("").endsWith("/" + name)) {
                    long[] ticks = ticks(Path.of("/proc", String.valueOf(child.pid()), "stat"));
                    return (ticks[0] + ticks[1]) / TICK;
                }
            }
            return 0;
        }

        /** utime, stime, cutime and cstime of a /proc/PID/stat, in clock ticks. */
        private static long[] ticks(Path stat) throws IOException {
            String text = Files.readString(stat);
            // Fields from the state on; the command before it, in parentheses, may hold spaces.
            String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
            // utime is field 14 of the file, the 12th after the state (field 3).
            return new long[] {
                Long.parseLong(fields[11]),
                Long.parseLong(fields[12]),
                Long.parseLong(fields[13]),
                Long.parseLong(fields[14])
            };
        }
    }
}
