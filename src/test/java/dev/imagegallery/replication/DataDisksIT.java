package dev.imagegallery.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.imagegallery.api.ImageDefinition;
import dev.imagegallery.api.ImageDefinitionStatus.LatestDataDisk;
import dev.imagegallery.api.ImageDefinitionStatus.LatestInRegion;
import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.api.ImageVersionSpec.TargetRegion;
import dev.imagegallery.api.ImageVersionStatus.RegionReplication;
import dev.imagegallery.api.ImageVersionStatus.RegionState;
import dev.imagegallery.api.ImageVersionStatus.Replica;
import dev.imagegallery.api.Region;
import dev.imagegallery.testing.Await;
import dev.imagegallery.testing.Edit;
import dev.imagegallery.testing.Examples;
import dev.imagegallery.testing.NginxServer;
import dev.imagegallery.testing.Source;
import dev.imagegallery.testing.StoreServers;
import dev.imagegallery.testing.TestCluster;
import dev.imagegallery.testing.TestOperator;
import dev.imagegallery.testing.TestRegions;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A version of an OS disk and two data disks, as a machine image with its data is: every disk of every
 * replica copied and verified in a directory store, an S3 bucket and a registry, each read back by a
 * client of its own, each source read once; the definition's latest names every disk's addresses; the
 * stores count the sum of the disks; deleting the version removes them all. A data disk whose bytes
 * arrive wrong in one region fails that region alone, naming its LUN.
 */
class DataDisksIT {
    private static final String BUCKET = "igo-data-disks";
    private static final String DEFINITION = "ubuntu-22.04";
    private static final String REGISTRY_PREFIX = "gallery";

    @RegisterExtension
    static final StoreServers SERVERS = new StoreServers(BUCKET);

    private static final NginxServer SOURCES = SERVERS.sources;

    @RegisterExtension
    static final TestOperator operator = TestOperator.withTestSettings();

    private final KubernetesClient client = TestCluster.client();

    @TempDir
    Path tmp;

    @Test
    void everyDiskOfEveryReplicaIsVerifiedInEveryStoreKindAndGoesWithTheVersion() throws Exception {
        String ns = TestCluster.newNamespace("data-disks");
        String id = ns.substring(ns.length() - 5);
        String files = "dd-" + id + "-files";
        String s3 = "dd-" + id + "-s3";
        String oci = "dd-" + id + "-oci";
        SERVERS.writeSecretsInto(client, operator.settings().namespace());
        TestRegions.withDirectoryStores(client, files, tmp, "s");
        StoreServers.region(client, s3, SERVERS.bucketStore("bucket"));
        StoreServers.region(client, oci, SERVERS.registryStore("registry", REGISTRY_PREFIX, StoreServers.TEST_CA));
        Examples.applyUbuntuDefinition(client, ns);
        Source os = source(ns, "os", 1 << 20);
        Source lun0 = source(ns, "lun0", 256 << 10);
        Source lun7 = source(ns, "lun7", (128 << 10) + 5);
        Map<Integer, Source> dataDisks = Map.of(0, lun0, 7, lun7);

        client.resource(version(
                        ns,
                        "1.0.0",
                        files,
                        os,
                        dataDisks,
                        List.of(
                                Map.of("name", files, "regionalReplicaCount", 2),
                                Map.of("name", s3),
                                Map.of("name", oci))))
                .create();
        Await.condition(client, ImageVersion.class, ns, name("1.0.0"), "Ready", "True", "Replicated");

        ImageVersion ready = version(ns, "1.0.0");
        List<Replica> replicas = ready.getStatus().replicationStatus.summary.stream()
                .flatMap(region -> region.replicas.stream())
                .toList();
        assertThat(replicas).hasSize(4);
        for (Replica replica : replicas) {
            assertThat(SERVERS.sha256At(replica.url, tmp))
                    .as("OS disk at %s", replica.url)
                    .isEqualTo(os.sha256());
            assertThat(replica.dataDisks)
                    .extracting(d -> d.lun + "=" + d.state)
                    .containsExactly("0=Completed", "7=Completed");
            for (var disk : replica.dataDisks) {
                assertThat(SERVERS.sha256At(disk.url, tmp))
                        .as("data disk LUN %s at %s", disk.lun, disk.url)
                        .isEqualTo(dataDisks.get(disk.lun).sha256());
            }
        }
        assertEachReadOnce(os, lun0, lun7);

        // A restarted operator checks every disk where it is (marker and size) and copies none again.
        operator.stop();
        operator.start();
        operator.activity().awaitSettled(List.of(ready), Duration.ofSeconds(60));
        assertThat(version(ns, "1.0.0").getStatus().replicationStatus.summary)
                .allSatisfy(region -> assertThat(region.state).isEqualTo(RegionState.Completed));
        assertEachReadOnce(os, lun0, lun7);

        // What a consumer reads: every region's latest with the data disks' addresses beside the OS disk's.
        List<LatestInRegion> latest = await().atMost(Duration.ofSeconds(30))
                .until(() -> latest(ns), entries -> entries != null && entries.size() == 3);
        for (LatestInRegion entry : latest) {
            assertThat(entry.dataDisks).extracting(d -> d.lun).containsExactly(0, 7);
            for (LatestDataDisk disk : entry.dataDisks) {
                assertThat(disk.sha256).isEqualTo(dataDisks.get(disk.lun).sha256());
                assertThat(disk.urls).hasSameSizeAs(entry.urls);
                for (String url : disk.urls) {
                    assertThat(SERVERS.sha256At(url, tmp))
                            .isEqualTo(dataDisks.get(disk.lun).sha256());
                }
            }
        }
        // A registry holds each data disk as a containerDisk image of its own, beside the OS disk's.
        String repository =
                SERVERS.registry.host() + "/" + REGISTRY_PREFIX + "/" + ns + "/contoso.images/" + DEFINITION;
        assertThat(SERVERS.registry.skopeo().tags(repository)).contains("1.0.0", "1.0.0-lun0", "1.0.0-lun7");

        // A store counts a replica as all its disks.
        long replicaBytes = os.size() + lun0.size() + lun7.size();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(bytesUsed(s3)).isEqualTo(replicaBytes);
            assertThat(bytesUsed(files)).isEqualTo(2 * replicaBytes);
        });

        client.resources(ImageVersion.class)
                .inNamespace(ns)
                .withName(name("1.0.0"))
                .delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> version(ns, "1.0.0") == null);
        try (Stream<Path> left = Files.walk(tmp.resolve(files + "-s"))) {
            assertThat(left.filter(Files::isRegularFile))
                    .as("files left in the directory store")
                    .isEmpty();
        }
        assertThat(SERVERS.s3.cli().listKeys(BUCKET, ns + "/"))
                .as("objects left in the bucket")
                .isEmpty();
        assertThat(SERVERS.registry.skopeo().tags(repository))
                .as("tags left in the registry")
                .doesNotContain("1.0.0", "1.0.0-lun0", "1.0.0-lun7");
    }

    @Test
    void aDataDiskWhoseBytesArriveWrongFailsOnlyItsReplicasRegionNamingTheLun() throws Exception {
        String ns = TestCluster.newNamespace("data-disk-damage");
        String id = ns.substring(ns.length() - 5);
        String first = "dd-" + id + "-first";
        String second = "dd-" + id + "-second";
        TestRegions.withDirectoryStores(client, first, tmp, "s");
        TestRegions.withDirectoryStores(client, second, tmp, "s");
        Examples.applyUbuntuDefinition(client, ns);
        Source os = source(ns, "os", 64 << 10);
        Source lun0 = source(ns, "lun0", 32 << 10);
        Source lun7 = source(ns, "lun7", 16 << 10);
        client.resource(version(ns, "1.0.0", first, os, Map.of(0, lun0, 7, lun7), List.of(Map.of("name", first))))
                .create();
        Await.condition(client, ImageVersion.class, ns, name("1.0.0"), "Ready", "True", "Replicated");

        // The first region's copy of LUN 7 rots in its store (same size, other bytes); the second region, added
        // now, copies from it, the nearest complete replica, and refuses what it reads.
        Path rotten = tmp.resolve(first + "-s/" + ns + "/contoso.images/" + DEFINITION + "/1.0.0/0-lun7");
        Files.write(rotten, new byte[] {'r', 'o', 't'}, StandardOpenOption.WRITE);
        Edit.latest(client, version(ns, "1.0.0"), v -> {
            TargetRegion target = new TargetRegion();
            target.name = second;
            v.getSpec().publishingProfile.targetRegions.add(target);
        });

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Map<String, RegionReplication> regions = version(ns, "1.0.0").getStatus().replicationStatus.summary.stream()
                    .collect(Collectors.toMap(r -> r.region, r -> r));
            assertThat(regions.get(second).state).isEqualTo(RegionState.Failed);
            assertThat(regions.get(second).details).contains("data disk LUN 7").contains("DigestMismatch");
            assertThat(regions.get(second).replicas.get(0).dataDisks)
                    .extracting(d -> d.lun + "=" + d.state)
                    .containsExactly("0=Completed", "7=Failed");
            assertThat(regions.get(first).state).isEqualTo(RegionState.Completed);
        });
        Path copied = tmp.resolve(second + "-s/" + ns + "/contoso.images/" + DEFINITION + "/1.0.0/");
        assertThat(Source.sha256Of(copied.resolve("0"))).isEqualTo(os.sha256());
        assertThat(copied.resolve("0-lun7")).as("the refused copy").doesNotExist();

        // A data disk declared with a digest its source does not have: every region copying it fails, naming it,
        // as its source is read once; the other disks are copied all the same.
        Source declaredWrong = new Source(lun7.path(), lun7.size(), "ab".repeat(32));
        client.resource(version(
                        ns,
                        "1.1.0",
                        first,
                        os,
                        Map.of(0, lun0, 7, declaredWrong),
                        List.of(Map.of("name", first), Map.of("name", second))))
                .create();
        var stalled = Await.condition(client, ImageVersion.class, ns, name("1.1.0"), "Stalled", "True", "RegionFailed");
        assertThat(stalled.message).contains("data disk LUN 7");
        assertThat(version(ns, "1.1.0").getStatus().replicationStatus.summary)
                .allSatisfy(region -> assertThat(region.replicas.get(0).dataDisks)
                        .extracting(d -> d.lun + "=" + d.state)
                        .containsExactly("0=Completed", "7=Failed"));
    }

    @Test
    void aSoftDeletedVersionKeepsItsDataDisksAndIsRestoredWithThemWithoutReadingASource() throws Exception {
        String ns = TestCluster.newNamespace("data-disk-restore");
        String region = "dd-" + ns.substring(ns.length() - 5) + "-restore";
        TestRegions.withDirectoryStores(client, region, tmp, "s");
        GenericKubernetesResource gallery = Examples.get("Gallery", "contoso.images", ns);
        Examples.set(gallery, "spec.softDelete", Map.of("enabled", true, "retentionDays", 1));
        client.resource(gallery).create();
        client.resource(Examples.get("ImageDefinition", DEFINITION, ns)).create();
        Source os = source(ns, "os", 64 << 10);
        Source lun3 = source(ns, "lun3", 32 << 10);
        GenericKubernetesResource manifest =
                version(ns, "1.0.0", region, os, Map.of(3, lun3), List.of(Map.of("name", region)));
        client.resource(manifest).create();
        Await.condition(client, ImageVersion.class, ns, name("1.0.0"), "Ready", "True", "Replicated");
        Path folder = tmp.resolve(region + "-s/" + ns + "/contoso.images/" + DEFINITION + "/1.0.0/");

        client.resources(ImageVersion.class)
                .inNamespace(ns)
                .withName(name("1.0.0"))
                .delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> version(ns, "1.0.0") == null);
        var recorded = client.resources(dev.imagegallery.api.Gallery.class)
                .inNamespace(ns)
                .withName("contoso.images")
                .get()
                .getStatus()
                .softDeletedVersions;
        assertThat(recorded)
                .singleElement()
                .satisfies(deleted -> assertThat(deleted.dataDisks)
                        .extracting(d -> d.lun + ":" + d.sha256 + ":" + d.sizeBytes)
                        .containsExactly("3:" + lun3.sha256() + ":" + lun3.size()));
        assertThat(Source.sha256Of(folder.resolve("0-lun3")))
                .as("kept in its store")
                .isEqualTo(lun3.sha256());

        int requestsBefore = SOURCES.requests().size();
        client.resource(manifest).create();
        Await.condition(client, ImageVersion.class, ns, name("1.0.0"), "Ready", "True", "Replicated");
        assertThat(SOURCES.requests()).as("requests to the sources").hasSize(requestsBefore);
        assertThat(version(ns, "1.0.0")
                        .getStatus()
                        .replicationStatus
                        .summary
                        .get(0)
                        .replicas
                        .get(0)
                        .dataDisks)
                .extracting(d -> d.lun + "=" + d.state)
                .containsExactly("3=Completed");
        assertThat(client.v1().events().inNamespace(ns).list().getItems())
                .extracting(e -> e.getReason())
                .contains("Restored");
    }

    /**
     * A tenant points its data disks at what is not its own: a host file, a path climbing out of an
     * allowed folder, another namespace's replica in the stores' bucket. The source policy refuses each
     * when its copy opens it, naming the LUN; nothing is read, nothing lands in the store.
     */
    @Test
    void aTenantsDataDisksReadNothingThePolicyRefuses() throws Exception {
        String ns = TestCluster.newNamespace("data-disk-tenant");
        String region = "dd-" + ns.substring(ns.length() - 5) + "-tenant";
        TestRegions.withDirectoryStores(client, region, tmp, "s");
        Examples.applyUbuntuDefinition(client, ns);
        Source os = source(ns, "os", 16 << 10);
        // The host file's true digest and size: were the policy to let it through, the copy would succeed.
        Path hostFile = Path.of("/etc/passwd");
        String sha256 = Source.sha256Of(hostFile);
        long size = Files.size(hostFile);
        GenericKubernetesResource version = version(ns, "1.0.0", region, os, Map.of(), List.of(Map.of("name", region)));
        Examples.set(
                version,
                "spec.dataDisks",
                List.of(
                        foreignDisk(0, "file:///etc/passwd", sha256, size),
                        foreignDisk(1, "file://" + tmp + "/../../etc/passwd", sha256, size),
                        foreignDisk(
                                2,
                                "s3://" + BUCKET + "/other-team/contoso.images/" + DEFINITION + "/1.0.0/0",
                                sha256,
                                size)));
        client.resource(version).create();

        Await.condition(client, ImageVersion.class, ns, name("1.0.0"), "Stalled", "True", "RegionFailed");
        RegionReplication replicated =
                version(ns, "1.0.0").getStatus().replicationStatus.summary.get(0);
        assertThat(replicated.state).isEqualTo(RegionState.Failed);
        assertThat(replicated.details).contains("data disk LUN 0: ").contains("SourceNotAllowed");
        assertThat(replicated.replicas.get(0).dataDisks)
                .extracting(d -> d.lun + "=" + d.state)
                .containsExactly("0=Failed", "1=Failed", "2=Failed");
        try (Stream<Path> stored = Files.walk(tmp.resolve(region + "-s"))) {
            assertThat(stored.map(Path::toString).filter(f -> f.contains("-lun")))
                    .as("data disks in the store")
                    .isEmpty();
        }
    }

    private static Map<String, Object> foreignDisk(int lun, String url, String sha256, long size) {
        return Map.of("lun", lun, "source", Map.of("url", url, "sha256", sha256, "sizeBytes", size));
    }

    /**
     * What a user waits for, printed side by side: a machine of an OS disk and two data disks against
     * one disk of the same bytes, each from a source served at 64 MiB/s a connection.
     */
    @Test
    void timeToReadyOfAMachineOfThreeDisksBesideOneDiskOfItsBytes() throws Exception {
        String ns = TestCluster.newNamespace("data-disk-timing");
        String region = "dd-" + ns.substring(ns.length() - 5) + "-timing";
        TestRegions.withDirectoryStores(client, region, tmp, "s");
        Examples.applyUbuntuDefinition(client, ns);
        Source whole = steady(ns, "whole", 128 << 20);
        Source os = steady(ns, "os", 64 << 20);
        Source lun0 = steady(ns, "lun0", 32 << 20);
        Source lun1 = steady(ns, "lun1", 32 << 20);

        Duration oneDisk = timeToReady(version(ns, "1.0.0", region, whole, Map.of(), List.of(Map.of("name", region))));
        Duration threeDisks = timeToReady(
                version(ns, "1.1.0", region, os, Map.of(0, lun0, 1, lun1), List.of(Map.of("name", region))));

        System.out.printf(
                "DataDisksIT: Ready %d ms after creation for one 128 MiB disk, %d ms for 64 MiB + 2 x 32 MiB disks%n",
                oneDisk.toMillis(), threeDisks.toMillis());
        Path folder = tmp.resolve(region + "-s/" + ns + "/contoso.images/" + DEFINITION + "/1.1.0/");
        assertThat(Source.sha256Of(folder.resolve("0-lun1"))).isEqualTo(lun1.sha256());
    }

    private Duration timeToReady(GenericKubernetesResource version) {
        Instant created = Instant.now();
        client.resource(version).create();
        Await.condition(
                client,
                ImageVersion.class,
                version.getMetadata().getNamespace(),
                version.getMetadata().getName(),
                "Ready",
                "True",
                "Replicated",
                Duration.ofSeconds(90));
        return Duration.between(created, Instant.now());
    }

    /** An image served at {@link NginxServer#STEADY_BYTES_PER_SECOND}. */
    private Source steady(String ns, String disk, int size) throws IOException {
        return Source.of(
                SOURCES.root().resolve(NginxServer.STEADY_PREFIX.substring(1) + ns + "-" + disk + ".img"), size);
    }

    private static void assertEachReadOnce(Source... sources) {
        for (Source source : sources) {
            assertThat(SOURCES.requests().stream()
                            .filter(r -> r.equals("GET /" + source.path().getFileName())))
                    .as("GETs of %s in nginx's access log", source.path().getFileName())
                    .hasSize(1);
        }
    }

    private Source source(String ns, String disk, int size) throws IOException {
        return Source.of(SOURCES.root().resolve(ns + "-" + disk + ".img"), size);
    }

    private static GenericKubernetesResource version(
            String ns,
            String number,
            String sourceRegion,
            Source os,
            Map<Integer, Source> dataDisks,
            List<Map<String, Object>> targets) {
        GenericKubernetesResource version = Examples.version(
                ns, name(number), DEFINITION, number, sourceRegion, url(os), os.sha256(), os.size(), targets);
        Examples.set(
                version,
                "spec.dataDisks",
                dataDisks.entrySet().stream()
                        .sorted(Map.Entry.comparingByKey())
                        .map(disk -> Map.of(
                                "lun",
                                disk.getKey(),
                                "source",
                                Map.of(
                                        "url",
                                        url(disk.getValue()),
                                        "sha256",
                                        disk.getValue().sha256(),
                                        "sizeBytes",
                                        disk.getValue().size())))
                        .toList());
        return version;
    }

    /** Where nginx serves {@code source}. */
    private static String url(Source source) {
        return SOURCES.uri("/" + SOURCES.root().relativize(source.path())).toString();
    }

    private ImageVersion version(String ns, String number) {
        return client.resources(ImageVersion.class)
                .inNamespace(ns)
                .withName(name(number))
                .get();
    }

    private List<LatestInRegion> latest(String ns) {
        var status = client.resources(ImageDefinition.class)
                .inNamespace(ns)
                .withName(DEFINITION)
                .get()
                .getStatus();
        return status == null ? null : status.latest;
    }

    private long bytesUsed(String region) {
        var status = client.resources(Region.class).withName(region).get().getStatus();
        return status == null || status.stores == null || status.stores.get(0).bytesUsed == null
                ? -1
                : status.stores.get(0).bytesUsed;
    }

    private static String name(String number) {
        return DEFINITION + "-" + number;
    }
}
