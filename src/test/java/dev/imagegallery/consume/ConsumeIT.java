package dev.imagegallery.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.imagegallery.api.ImageDefinition;
import dev.imagegallery.api.ImageDefinitionStatus.LatestInRegion;
import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.api.ImageVersionStatus.RegionReplication;
import dev.imagegallery.api.ImageVersionStatus.RegionState;
import dev.imagegallery.api.Store;
import dev.imagegallery.testing.Await;
import dev.imagegallery.testing.Cli;
import dev.imagegallery.testing.Commands;
import dev.imagegallery.testing.Edit;
import dev.imagegallery.testing.Examples;
import dev.imagegallery.testing.NginxServer;
import dev.imagegallery.testing.OciRegistry;
import dev.imagegallery.testing.S3Server;
import dev.imagegallery.testing.ServiceAccountClient;
import dev.imagegallery.testing.Source;
import dev.imagegallery.testing.StoreServers;
import dev.imagegallery.testing.TestCluster;
import dev.imagegallery.testing.TestOperator;
import dev.imagegallery.testing.TestRegions;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An image as its consumers meet it: a definition's status.latest names, in each region, the newest
 * version Completed and not excluded there, with addresses that an independent client (curl, the aws
 * CLI, skopeo) reads the verified bytes from; a registry's moving latest tag follows it; a consumer
 * holding only the definition's share resolves it; and a version reads its source once, fanning out
 * from its first replica.
 */
class ConsumeIT {
    private static final String BUCKET = "igo-consume";
    private static final String REGISTRY_PREFIX = "gallery";
    private static final String DEFINITION = "ubuntu-22.04";
    private static final String HOLD = "test.imagegallery.dev/hold";

    @RegisterExtension
    static final StoreServers SERVERS = new StoreServers(BUCKET);

    private static final S3Server S3 = SERVERS.s3;
    private static final OciRegistry REGISTRY = SERVERS.registry;
    private static final NginxServer DAV = SERVERS.dav;
    private static final NginxServer SOURCES = SERVERS.sources;

    @RegisterExtension
    static final TestOperator operator = TestOperator.withTestSettings(Map.of(
            "image-gallery.replication.max-attempts", "2",
            "image-gallery.replication.initial-backoff", "200ms"));

    private final KubernetesClient client = TestCluster.client();

    @TempDir
    Path tmp;

    @Test
    void latestNamesOnlyCompletedVersionsAndEveryAddressServesTheVerifiedBytes() throws Exception {
        String ns = TestCluster.newNamespace("consume");
        String id = ns.substring(ns.length() - 5);
        Regions regions = new Regions("cs-" + id + "-dav", "cs-" + id + "-s3", "cs-" + id + "-oci");
        SERVERS.writeSecretsInto(client, operator.settings().namespace());
        createRegions(regions);
        Examples.applyUbuntuDefinition(client, ns);
        Source first = source(ns, "1.0.0", 1 << 20);
        Source second = source(ns, "1.1.0", (1 << 20) + 4096);
        Source excluded = source(ns, "1.2.0", 1 << 19);

        createVersion(ns, "1.0.0", first, false, regions);
        Await.condition(client, ImageVersion.class, ns, name("1.0.0"), "Ready", "True", "Replicated");
        Map<String, LatestInRegion> latest = awaitLatest(ns, regions, "1.0.0", "1.0.0", "1.0.0");
        assertAddressesServe(latest.values(), first);
        assertLatestTag(ns, "1.0.0", first);

        // The registry is down while 1.1.0 replicates: the other regions move on, the registry's region keeps 1.0.0.
        REGISTRY.stop();
        createVersion(ns, "1.1.0", second, false, regions);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Map<String, RegionReplication> states = summary(ns, "1.1.0");
            assertThat(states).containsKeys(regions.dav(), regions.s3(), regions.oci());
            assertThat(states.get(regions.dav()).state).isEqualTo(RegionState.Completed);
            assertThat(states.get(regions.s3()).state).isEqualTo(RegionState.Completed);
            assertThat(states.get(regions.oci()).state).isNotEqualTo(RegionState.Completed);
        });
        latest = awaitLatest(ns, regions, "1.1.0", "1.1.0", "1.0.0");
        assertAddressesServe(List.of(latest.get(regions.dav()), latest.get(regions.s3())), second);
        REGISTRY.start();
        assertAddressesServe(List.of(latest.get(regions.oci())), first);
        assertLatestTag(ns, "1.0.0", first);
        Edit.latest(
                client,
                client.resources(ImageVersion.class)
                        .inNamespace(ns)
                        .withName(name("1.1.0"))
                        .get(),
                v -> {
                    v.getMetadata().getAnnotations().put("imagegallery.dev/retry-replication", "registry-back");
                });
        Await.condition(client, ImageVersion.class, ns, name("1.1.0"), "Ready", "True", "Replicated");
        latest = awaitLatest(ns, regions, "1.1.0", "1.1.0", "1.1.0");
        assertAddressesServe(latest.values(), second);
        assertLatestTag(ns, "1.1.0", second);

        // Excluded from latest: Completed everywhere, named nowhere.
        createVersion(ns, "1.2.0", excluded, true, regions);
        Await.condition(client, ImageVersion.class, ns, name("1.2.0"), "Ready", "True", "Replicated");
        assertThat(awaitLatest(ns, regions, "1.1.0", "1.1.0", "1.1.0").values())
                .extracting(e -> e.version)
                .doesNotContain("1.2.0");
        assertLatestTag(ns, "1.1.0", second);

        // The latest version goes: latest, in status and in the registry, moves back to 1.0.0 as its deletion
        // starts (a finalizer of the test's holds it in deletion meanwhile).
        var latestVersion = client.resources(ImageVersion.class).inNamespace(ns).withName(name("1.1.0"));
        Edit.latest(client, latestVersion.get(), v -> {
            v.getMetadata().getFinalizers().add(HOLD);
        });
        latestVersion.delete();
        latest = awaitLatest(ns, regions, "1.0.0", "1.0.0", "1.0.0");
        assertAddressesServe(latest.values(), first);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertLatestTag(ns, "1.0.0", first));
        assertThat(latestVersion.get()).as("1.1.0, still being deleted").isNotNull();
        Edit.latest(client, latestVersion.get(), v -> {
            v.getMetadata().getFinalizers().remove(HOLD);
        });

        aConsumerHoldingOnlyTheSharedDefinitionResolvesAnAddress(ns, regions.dav(), first);
    }

    @Test
    void aVersionOfSixReplicasReadsItsSourceOnceAndEachReplicaSaysWhereItCameFrom() throws Exception {
        String ns = TestCluster.newNamespace("fan-out");
        String id = ns.substring(ns.length() - 5);
        List<String> regionNames = List.of("fo-" + id + "-a", "fo-" + id + "-b", "fo-" + id + "-c");
        for (String region : regionNames) {
            TestRegions.withDirectoryStores(client, region, tmp, "one", "two");
        }
        Examples.applyUbuntuDefinition(client, ns);
        Source image = Source.of(SOURCES.root().resolve(ns + ".img"), 2 << 20);
        String sourceRegion = regionNames.get(1);
        client.resource(Examples.version(
                        ns,
                        name("1.0.0"),
                        DEFINITION,
                        "1.0.0",
                        sourceRegion,
                        SOURCES.uri("/" + ns + ".img").toString(),
                        image.sha256(),
                        null,
                        regionNames.stream()
                                .map(r -> Map.<String, Object>of("name", r, "regionalReplicaCount", 2))
                                .toList()))
                .create();

        Await.condition(client, ImageVersion.class, ns, name("1.0.0"), "Ready", "True", "Replicated");

        assertThat(SOURCES.requests().stream().filter(r -> r.equals("GET /" + ns + ".img")))
                .as("GETs of the source in nginx's access log")
                .hasSize(1);
        Map<String, String> origins = summary(ns, "1.0.0").values().stream()
                .flatMap(region -> region.replicas.stream()
                        .map(replica -> Map.entry(
                                region.region + "/" + replica.store + "/" + replica.index, replica.copiedFrom)))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(origins).hasSize(6);
        assertThat(origins.values().stream().filter("source"::equals)).hasSize(1);
        String seed = origins.entrySet().stream()
                .filter(e -> e.getValue().equals("source"))
                .findFirst()
                .orElseThrow()
                .getKey();
        assertThat(seed).as("the replica that read the source").startsWith(sourceRegion + "/");
        origins.forEach((replica, origin) -> {
            if (!replica.equals(seed)) {
                assertThat(origins)
                        .as("%s was copied from %s, a replica of the version", replica, origin)
                        .containsKey(origin);
                if (!replica.startsWith(sourceRegion + "/")) {
                    assertThat(origin.startsWith(replica.substring(0, replica.indexOf('/') + 1))
                                    || origin.startsWith(sourceRegion + "/"))
                            .as("%s came from its own region or the source region, not %s", replica, origin)
                            .isTrue();
                }
            }
        });
    }

    private void aConsumerHoldingOnlyTheSharedDefinitionResolvesAnAddress(String ns, String region, Source expected) {
        client.resource(new ServiceAccountBuilder()
                        .withNewMetadata()
                        .withName("vm-builder")
                        .withNamespace(ns)
                        .endMetadata()
                        .build())
                .create();
        Edit.latest(
                client,
                client.resources(ImageDefinition.class)
                        .inNamespace(ns)
                        .withName(DEFINITION)
                        .get(),
                d -> {
                    var subject = new dev.imagegallery.api.Subject();
                    subject.kind = dev.imagegallery.api.Subject.SubjectKind.ServiceAccount;
                    subject.name = "vm-builder";
                    subject.namespace = ns;
                    d.getSpec().sharing = new dev.imagegallery.api.Sharing();
                    d.getSpec().sharing.subjects = List.of(subject);
                });
        String token = ServiceAccountClient.token(client, ns, "vm-builder");
        String query = "{.status.latest[?(@.region==\"" + region + "\")].urls[0]}";
        String url = await().atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(
                        () -> Cli.kubectlWithToken(
                                token, "get", "imgdef", DEFINITION, "-n", ns, "-o", "jsonpath=" + query),
                        u -> u.startsWith("http://"));
        assertThat(Commands.sha256WithCurl(url, Optional.empty(), tmp)).isEqualTo(expected.sha256());
        // What the consumer may not do: list versions (shared by name only), read the admin's Regions and their
        // stores, or delete what was shared with it.
        assertThat(Cli.kubectlAs(token, "get", "imageversions", "-n", ns).output())
                .as("the share of a definition reaches its versions by name only")
                .contains("Forbidden");
        assertThat(Cli.kubectlAs(token, "get", "regions.imagegallery.dev").output())
                .as("Regions, with their stores, are the admin's")
                .contains("Forbidden");
        assertThat(Cli.kubectlAs(token, "delete", "imgdef", DEFINITION, "-n", ns)
                        .output())
                .as("a share grants reading only")
                .contains("Forbidden");
    }

    /** What a consumer of each kind of address reads there: the bytes of {@code expected}. */
    private void assertAddressesServe(java.util.Collection<LatestInRegion> entries, Source expected) {
        for (LatestInRegion entry : entries) {
            assertThat(entry.sha256).isEqualTo(expected.sha256());
            assertThat(entry.sizeBytes).isEqualTo(expected.size());
            assertThat(entry.urls).isNotEmpty();
            for (String url : entry.urls) {
                assertThat(SERVERS.sha256At(url, tmp))
                        .as("the bytes at %s", url)
                        .isEqualTo(expected.sha256());
            }
        }
    }

    /** The registry's {@code :latest} of the definition holds the disk of {@code version}, with its bytes. */
    private void assertLatestTag(String ns, String version, Source expected) {
        String latest =
                REGISTRY.host() + "/" + REGISTRY_PREFIX + "/" + ns + "/contoso.images/" + DEFINITION + ":latest";
        assertThat(REGISTRY.skopeo()
                        .fileInImage(latest, 0, "disk/" + DEFINITION + "-" + version + ".img")
                        .sha256())
                .as("the disk in %s", latest)
                .isEqualTo(expected.sha256());
    }

    /** Waits until status.latest names these versions in the dav, s3 and oci regions, and returns it by region. */
    private Map<String, LatestInRegion> awaitLatest(String ns, Regions regions, String dav, String s3, String oci) {
        Map<String, String> wanted = Map.of(regions.dav(), dav, regions.s3(), s3, regions.oci(), oci);
        return await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> {
                            var status = client.resources(ImageDefinition.class)
                                    .inNamespace(ns)
                                    .withName(DEFINITION)
                                    .get()
                                    .getStatus();
                            Map<String, LatestInRegion> byRegion = new HashMap<>();
                            if (status != null && status.latest != null) {
                                status.latest.forEach(e -> byRegion.put(e.region, e));
                            }
                            return byRegion;
                        },
                        byRegion -> byRegion.keySet().equals(wanted.keySet())
                                && wanted.entrySet().stream()
                                        .allMatch(w ->
                                                byRegion.get(w.getKey()).version.equals(w.getValue())
                                                        && byRegion.get(w.getKey()).urls != null));
    }

    private Map<String, RegionReplication> summary(String ns, String number) {
        ImageVersion version = client.resources(ImageVersion.class)
                .inNamespace(ns)
                .withName(name(number))
                .get();
        Map<String, RegionReplication> regions = new HashMap<>();
        if (version.getStatus() != null && version.getStatus().replicationStatus != null) {
            version.getStatus().replicationStatus.summary.forEach(r -> regions.put(r.region, r));
        }
        return regions;
    }

    private Source source(String ns, String number, int size) throws Exception {
        return Source.of(SOURCES.root().resolve(ns + "-" + number + ".img"), size);
    }

    private void createVersion(String ns, String number, Source source, boolean excludeFromLatest, Regions regions) {
        GenericKubernetesResource version = Examples.version(
                ns,
                name(number),
                DEFINITION,
                number,
                regions.dav(),
                SOURCES.uri("/" + source.path().getFileName()).toString(),
                source.sha256(),
                null,
                List.of(Map.of("name", regions.dav()), Map.of("name", regions.s3()), Map.of("name", regions.oci())));
        Examples.set(version, "spec.publishingProfile.excludeFromLatest", excludeFromLatest);
        client.resource(version).create();
    }

    private static String name(String number) {
        return DEFINITION + "-" + number;
    }

    private record Regions(String dav, String s3, String oci) {}

    /** A WebDAV region read through another address (its readEndpoint), a bucket's and a registry's. */
    private void createRegions(Regions regions) {
        Store dav = StoreServers.store("dav", DAV.uri("/").toString());
        dav.readEndpoint = DAV.uri("/").toString().replace("127.0.0.1", "localhost");
        StoreServers.region(client, regions.dav(), dav);
        StoreServers.region(client, regions.s3(), SERVERS.bucketStore("bucket"));
        StoreServers.region(
                client, regions.oci(), SERVERS.registryStore("registry", REGISTRY_PREFIX, StoreServers.TEST_CA));
    }
}
