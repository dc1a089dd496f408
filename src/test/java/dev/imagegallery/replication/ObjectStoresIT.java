package dev.imagegallery.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.api.ImageVersionStatus.RegionReplication;
import dev.imagegallery.api.ImageVersionStatus.RegionState;
import dev.imagegallery.api.Region;
import dev.imagegallery.api.RegionStatus;
import dev.imagegallery.testing.Await;
import dev.imagegallery.testing.Examples;
import dev.imagegallery.testing.NginxServer;
import dev.imagegallery.testing.OciRegistry;
import dev.imagegallery.testing.PackagedOperator;
import dev.imagegallery.testing.S3Server;
import dev.imagegallery.testing.Skopeo;
import dev.imagegallery.testing.Source;
import dev.imagegallery.testing.StoreServers;
import dev.imagegallery.testing.StoredFiles;
import dev.imagegallery.testing.TestCluster;
import dev.imagegallery.testing.TestPki;
import dev.imagegallery.testing.TestSources;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store kinds as an admin and a tenant meet them, with the operator as shipped (the packaged
 * jar, configured by the chart, reading Secrets with the chart's ServiceAccount): one version in an
 * S3 bucket, a WebDAV server and an OCI registry at once, each copy read back by a client of its
 * own; refused credentials and an untrusted certificate failing only their region and mended by
 * editing the Secrets, without a restart; s3:// sources read only where the admin allows; and no
 * credential anywhere a user or a scraper can look.
 */
@Tag("packaged")
class ObjectStoresIT {
    private static final String BUCKET = "igo-images";
    private static final String SECRETS = PackagedOperator.RELEASE_NAMESPACE;
    private static final String S3_REGION = "os-s3";
    private static final String DAV_REGION = "os-dav";
    private static final String OCI_REGION = "os-oci";
    private static final String REGISTRY_PREFIX = "gallery";
    private static final String WRONG_SECRET = "igotest-wrong-secret-0123456789abcdef";

    private static final StoreServers SERVERS = new StoreServers(BUCKET);
    private static final TestPki PKI = SERVERS.pki;
    private static final S3Server S3 = SERVERS.s3;
    private static final OciRegistry REGISTRY = SERVERS.registry;
    private static final NginxServer DAV = SERVERS.dav;
    private static final NginxServer SOURCES = SERVERS.sources;

    private final KubernetesClient client = TestCluster.client();

    @TempDir
    Path tmp;

    @BeforeAll
    static void startServers() {
        SERVERS.start();
    }

    @AfterAll
    static void stopServers() {
        SERVERS.close();
    }

    @Test
    void aVersionLandsInABucketAWebDavServerAndARegistryAndBrokenSecretsFailOnlyTheirRegionUntilMended()
            throws Exception {
        String ns = TestCluster.newNamespace("object-stores");
        Source source = Source.of(SOURCES.root().resolve(ns + ".img"), 3 << 20);
        // The chart's install makes the release namespace, where the admin keeps the store Secrets.
        try (PackagedOperator operator = PackagedOperator.start("object-stores", fastRetries())) {
            writeSecrets(S3.secretAccessKey(), REGISTRY.caPem());
            createRegions();
            Examples.applyUbuntuDefinition(client, ns);
            createVersion(ns, "ubuntu-22.04-1.0.0", "1.0.0", SOURCES.uri("/" + ns + ".img"), source.sha256());

            Await.condition(client, ImageVersion.class, ns, "ubuntu-22.04-1.0.0", "Ready", "True", "Replicated");
            assertReadBack(ns, "1.0.0", source);

            // The admin breaks both Secrets: the bucket refuses the key, the registry's CA is another one.
            writeSecrets(WRONG_SECRET, PKI.otherCaPem());
            awaitStoreReason(S3_REGION, "AuthenticationFailed");
            awaitStoreReason(OCI_REGION, "CertificateInvalid");
            createVersion(ns, "ubuntu-22.04-1.1.0", "1.1.0", SOURCES.uri("/" + ns + ".img"), source.sha256());
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                Map<String, RegionReplication> regions = regions(version(ns, "ubuntu-22.04-1.1.0"));
                assertThat(regions.get(DAV_REGION).state).isEqualTo(RegionState.Completed);
                assertThat(regions.get(S3_REGION).state).isEqualTo(RegionState.Failed);
                assertThat(regions.get(S3_REGION).details).contains("AuthenticationFailed");
                assertThat(regions.get(OCI_REGION).state).isEqualTo(RegionState.Failed);
                assertThat(regions.get(OCI_REGION).details).contains("CertificateInvalid");
            });

            // Mended in the Secrets alone: no restart, no retry annotation.
            writeSecrets(S3.secretAccessKey(), REGISTRY.caPem());
            Await.condition(client, ImageVersion.class, ns, "ubuntu-22.04-1.1.0", "Ready", "True", "Replicated");
            Await.condition(client, Region.class, null, S3_REGION, "Ready", "True", "StoresReachable");
            Await.condition(client, Region.class, null, OCI_REGION, "Ready", "True", "StoresReachable");
            assertReadBack(ns, "1.1.0", source);
            operator.assertAlive();

            for (String version : List.of("ubuntu-22.04-1.0.0", "ubuntu-22.04-1.1.0")) {
                client.resources(ImageVersion.class)
                        .inNamespace(ns)
                        .withName(version)
                        .delete();
            }
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(S3.cli().listKeys(BUCKET, ns + "/")).isEmpty();
                assertThat(REGISTRY.skopeo().tags(REGISTRY.host() + "/" + repository(ns)))
                        .isEmpty();
                assertThat(StoredFiles.under(DAV.root().resolve(ns))).isEmpty();
            });

            assertNoCredentialIn(ns, operator);
        }
    }

    @Test
    void anS3SourceIsReadWithItsStoresCredentialsOnlyBelowTheAdminsPrefix() throws Exception {
        String ns = TestCluster.newNamespace("s3-sources");
        Path image = tmp.resolve("golden.img");
        Source source = Source.of(image, 2 << 20);
        S3.cli().putObject(BUCKET, "allowed/golden.img", image, Map.of());
        try (PackagedOperator operator = PackagedOperator.start("s3-sources", fastRetries())) {
            writeSecrets(S3.secretAccessKey(), REGISTRY.caPem());
            createRegions();
            Examples.applyUbuntuDefinition(client, ns);
            createVersion(
                    ns, "from-bucket", "2.0.0", URI.create("s3://" + BUCKET + "/allowed/golden.img"), source.sha256());
            // Another tenant's replica in the same bucket, which the tenant names as its source.
            createVersion(
                    ns,
                    "from-other-tenant",
                    "2.1.0",
                    URI.create("s3://" + BUCKET + "/team-b/contoso.images/ubuntu-22.04/1.0.0/0"),
                    source.sha256());

            Await.condition(client, ImageVersion.class, ns, "from-bucket", "Ready", "True", "Replicated");
            assertThat(version(ns, "from-bucket").getStatus().sizeBytes).isEqualTo(2L << 20);
            assertThat(Source.sha256Of(DAV.root().resolve(ns + "/contoso.images/ubuntu-22.04/2.0.0/0")))
                    .isEqualTo(source.sha256());
            Await.condition(client, ImageVersion.class, ns, "from-other-tenant", "Stalled", "True", "SourceNotAllowed");
            operator.assertAlive();
        }
    }

    /** The chart's settings plus quick retries and the s3:// source prefix the admin allows. */
    private static Map<String, String> fastRetries() {
        return Map.of(
                "IMAGE_GALLERY_REPLICATION_MAX_ATTEMPTS",
                "2",
                "IMAGE_GALLERY_REPLICATION_INITIAL_BACKOFF",
                "200ms",
                "IMAGE_GALLERY_SOURCES_ALLOWED_URL_PREFIXES",
                TestSources.allowedUrlPrefixes() + ",s3://" + BUCKET + "/allowed/");
    }

    private void writeSecrets(String secretAccessKey, String registryCa) {
        SERVERS.writeSecrets(client, SECRETS, secretAccessKey);
        StoreServers.secret(client, SECRETS, "registry-ca", Map.of("ca.crt", registryCa));
    }

    private void createRegions() {
        StoreServers.region(client, S3_REGION, SERVERS.bucketStore("bucket"));
        StoreServers.region(
                client, DAV_REGION, StoreServers.store("dav", DAV.uri("/").toString()));
        StoreServers.region(client, OCI_REGION, SERVERS.registryStore("registry", REGISTRY_PREFIX, "registry-ca"));
    }

    private void createVersion(String ns, String name, String number, URI source, String sha256) {
        client.resource(Examples.version(
                        ns,
                        name,
                        "ubuntu-22.04",
                        number,
                        DAV_REGION,
                        source.toString(),
                        sha256,
                        null,
                        List.of(Map.of("name", S3_REGION), Map.of("name", DAV_REGION), Map.of("name", OCI_REGION))))
                .create();
    }

    /** Each store's copy, read back by a client that is not the operator's, has the source's bytes. */
    private void assertReadBack(String ns, String number, Source source) throws IOException {
        String path = ns + "/contoso.images/ubuntu-22.04/" + number + "/0";
        assertThat(S3.cli().sha256(BUCKET, path)).as("the bucket's object").isEqualTo(source.sha256());
        assertThat(S3.cli().metadata(BUCKET, path)).containsEntry("sha256", source.sha256());
        assertThat(S3.cli().listKeys(BUCKET, path)).containsExactlyInAnyOrder(path, path + ".sha256");
        assertThat(Source.sha256Of(DAV.root().resolve(path)))
                .as("the WebDAV object")
                .isEqualTo(source.sha256());
        String image = REGISTRY.host() + "/" + repository(ns) + ":" + number;
        Skopeo.LayerFile disk = REGISTRY.skopeo().fileInImage(image, 0, "disk/ubuntu-22.04-" + number + ".img");
        assertThat(disk.sha256()).as("the containerDisk's /disk/ file").isEqualTo(source.sha256());
        assertThat(disk.size()).isEqualTo(source.size());
        assertThat(List.of(disk.uid(), disk.gid())).containsExactly(107L, 107L);
        Map<String, Object> manifest = Serialization.unmarshal(REGISTRY.skopeo().inspectRaw(image), Map.class);
        assertThat(manifest)
                .extractingByKey("annotations")
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.map(String.class, Object.class))
                .containsEntry("imagegallery.dev/sha256", source.sha256())
                .containsEntry("imagegallery.dev/size", String.valueOf(source.size()));
    }

    private static String repository(String ns) {
        return REGISTRY_PREFIX + "/" + ns + "/contoso.images/ubuntu-22.04";
    }

    private void awaitStoreReason(String region, String reason) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            RegionStatus status =
                    client.resources(Region.class).withName(region).get().getStatus();
            assertThat(status.stores)
                    .extracting(s -> s.reachable, s -> s.reason)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(false, reason));
        });
    }

    /** Every credential of the test, searched where users, admins and scrapers look. */
    private void assertNoCredentialIn(String ns, PackagedOperator operator) throws Exception {
        List<String> credentials = List.of(S3.accessKeyId(), S3.secretAccessKey(), WRONG_SECRET, REGISTRY.password());
        Map<String, String> places = new LinkedHashMap<>();
        places.put(
                "Region status",
                client.resources(Region.class).list().getItems().stream()
                        .map(r -> Serialization.asJson(r.getStatus()))
                        .collect(Collectors.joining("\n")));
        places.put(
                "ImageVersion status",
                client.resources(ImageVersion.class).inAnyNamespace().list().getItems().stream()
                        .map(v -> Serialization.asJson(v.getStatus()))
                        .collect(Collectors.joining("\n")));
        List<String> events = new ArrayList<>();
        for (String namespace : List.of(ns, SECRETS)) {
            client.v1()
                    .events()
                    .inNamespace(namespace)
                    .list()
                    .getItems()
                    .forEach(e -> events.add(Serialization.asJson(e)));
        }
        places.put("Events", String.join("\n", events));
        places.put("operator log", operator.log());
        places.put(
                "metrics",
                HttpClient.newHttpClient()
                        .send(HttpRequest.newBuilder(operator.metrics()).build(), HttpResponse.BodyHandlers.ofString())
                        .body());
        assertThat(places.get("Region status")).contains("reachable");
        assertThat(places.get("operator log")).isNotBlank();
        places.forEach((place, text) ->
                assertThat(credentials).as("credentials in the %s", place).noneMatch(text::contains));
    }

    private ImageVersion version(String ns, String name) {
        return client.resources(ImageVersion.class)
                .inNamespace(ns)
                .withName(name)
                .get();
    }

    private static Map<String, RegionReplication> regions(ImageVersion version) {
        assertThat(version.getStatus())
                .as("status of %s", version.getMetadata().getName())
                .isNotNull();
        assertThat(version.getStatus().replicationStatus).isNotNull();
        return version.getStatus().replicationStatus.summary.stream().collect(Collectors.toMap(r -> r.region, r -> r));
    }
}
