package dev.imagegallery.replication;

import dev.imagegallery.testing.NginxServer;
import dev.imagegallery.testing.TestSources;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

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
    private static final long MIB = BenchmarkRounds.MIB;
    private static final ReplicaKey KEY =
            new ReplicaKey(new VersionKey("bench", "gallery", "image", "1.0.0"), "local", 0);

    private final Path work;
    private final Path image;
    private final long size;
    private final String sha256;
    private final NginxServer nginx;
    private final VerifiedCopier copier =
            new VerifiedCopier(new NoMetrics(), Duration.ofSeconds(1), WriteFence.open("test"));
    private final BenchmarkRounds rounds;

    private CopyThroughputBenchmark(Path work, Path image, long size, String sha256, NginxServer nginx) {
        this.work = work;
        this.image = image;
        this.size = size;
        this.sha256 = sha256;
        this.nginx = nginx;
        this.rounds = new BenchmarkRounds(size);
    }

    public static void main(String[] args) throws Exception {
        long mebibytes = args.length > 0 ? Long.parseLong(args[0]) : 512;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path work = Files.createTempDirectory("copy-benchmark-");
        try (NginxServer nginx = new NginxServer()) {
            nginx.start();
            Path image = work.resolve("image.raw");
            String sha256 = BenchmarkRounds.writeRandom(image, mebibytes * MIB);
            CopyThroughputBenchmark benchmark =
                    new CopyThroughputBenchmark(work, image, mebibytes * MIB, sha256, nginx);
            double loadBefore = BenchmarkRounds.loadAverage();
            benchmark.warmUp();
            for (int round = 1; round <= rounds; round++) {
                benchmark.round();
            }
            benchmark.report(mebibytes, rounds);
            // The machine is shared: a busy one explains a bad run.
            System.out.printf(
                    "load average (1 min) %.2f before, %.2f after%n", loadBefore, BenchmarkRounds.loadAverage());
        } finally {
            BenchmarkRounds.deleteTree(work);
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
        rounds.time(
                "cp",
                () -> run("cp", image.toString(), work.resolve("cp.raw").toString()),
                () -> Files.delete(work.resolve("cp.raw")));
        // The copier syncs its file before the rename; this is cp held to the same durability.
        rounds.time(
                "cp + sync",
                () -> {
                    run("cp", image.toString(), work.resolve("cp.raw").toString());
                    run("sync", work.resolve("cp.raw").toString());
                },
                () -> Files.delete(work.resolve("cp.raw")));
        rounds.time(
                "copier file->file",
                () -> copier.replicate(job(fileStore()), (copied, total) -> {}),
                () -> fileStore().delete(KEY));
        URI curlTarget = nginx.uri("/curl/image.raw");
        rounds.time(
                "curl -T",
                () -> run("curl", "-sS", "-f", "-o", "/dev/null", "-T", image.toString(), curlTarget.toString()),
                () -> run("curl", "-sS", "-f", "-X", "DELETE", curlTarget.toString()));
        rounds.time(
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

    private void report(long mebibytes, int count) {
        rounds.printRates(mebibytes, count);
        rounds.printRatio("copier file->file", "cp");
        rounds.printRatio("copier file->file", "cp + sync");
        rounds.printRatio("copier file->nginx", "curl -T");
    }

    private static void run(String... command) throws IOException, InterruptedException {
        BenchmarkRounds.run(command);
    }
}
