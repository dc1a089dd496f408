package dev.imagegallery.api;

import static dev.imagegallery.testing.Examples.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegallery.testing.Edit;
import dev.imagegallery.testing.Examples;
import dev.imagegallery.testing.TestCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The API server itself refuses bad input, with a message naming the field and the rule: one case
 * per rule of the CRDs (OpenAPI and CEL), plus immutability on update, against a real kube-apiserver.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdmissionValidationIT {
    private static final long SIXTY_FOUR_TIB = 64L << 40;
    private static final String TOO_MANY_REPLICAS =
            "the replicas of all target regions together (each regionalReplicaCount, else replicaCount) must be at most 1000";

    private final KubernetesClient client = TestCluster.client();
    private String namespace;

    /** One bad manifest: which example it starts from, what it breaks, and what the user is told. */
    record Case(
            String title,
            String kind,
            String example,
            Consumer<GenericKubernetesResource> breakIt,
            String field,
            String message) {
        @Override
        public String toString() {
            return title;
        }
    }

    @BeforeAll
    void createNamespace() {
        namespace = TestCluster.newNamespace("admission");
    }

    @Test
    void everyExampleIsAccepted() {
        List<GenericKubernetesResource> applied = Examples.applyAll(client, namespace);
        assertThat(applied).hasSize(Examples.all().size() - 1);
        for (GenericKubernetesResource created : applied) {
            assertThat(created.getMetadata().getUid())
                    .as(
                            "%s/%s accepted",
                            created.getKind(), created.getMetadata().getName())
                    .isNotBlank();
        }
    }

    @Test
    void everyStoreKindExampleIsAcceptedWithItsSecrets() throws Exception {
        client.resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName("image-gallery-system")
                        .endMetadata()
                        .build())
                .serverSideApply();
        Path stores = TestCluster.projectDir().resolve("examples/stores");
        List<String> accepted = new ArrayList<>();
        try (Stream<Path> files = Files.list(stores)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (HasMetadata object :
                        client.load(Files.newInputStream(file)).items()) {
                    HasMetadata created = client.resource(object).dryRun().create();
                    accepted.add(created.getKind() + "/" + created.getMetadata().getName());
                }
            }
        }
        assertThat(accepted)
                .contains("Region/germanywestcentral", "Region/francecentral", "Region/uksouth")
                .filteredOn(name -> name.startsWith("Secret/"))
                .hasSize(5);
    }

    @Test
    void theLargestLegalVersionIsAccepted() {
        GenericKubernetesResource largest = Examples.get("ImageVersion", "ubuntu-22.04-1.0.0", namespace);
        largest.getMetadata().setName("largest");
        set(largest, "spec.publishingProfile.targetRegions", regionsWithReplicas(10, 100));
        set(largest, "spec.source.sizeBytes", SIXTY_FOUR_TIB);

        assertThat(client.resource(largest).create().getMetadata().getUid())
                .as("1000 replicas of a 64 TiB image accepted")
                .isNotBlank();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidManifests")
    void invalidManifestIsRefusedNamingFieldAndRule(Case c) {
        GenericKubernetesResource object = Examples.get(c.kind(), c.example(), namespace);
        object.getMetadata().setName(object.getMetadata().getName() + "-bad");
        c.breakIt().accept(object);

        assertThatThrownBy(() -> client.resource(object).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).as("HTTP status").isEqualTo(422);
                    assertThat(e.getStatus().getMessage()).contains(c.field()).contains(c.message());
                });
    }

    static List<Case> invalidManifests() {
        List<Case> cases = new ArrayList<>();
        // Region
        cases.add(new Case(
                "region cloud outside the enum",
                "Region",
                "westeurope",
                o -> set(o, "spec.cloud", "Mars"),
                "spec.cloud",
                "Unsupported value: \"Mars\""));
        cases.add(new Case(
                "region without stores",
                "Region",
                "westeurope",
                o -> set(o, "spec.stores", null),
                "spec.stores",
                "Required value"));
        cases.add(new Case(
                "store endpoint with another scheme",
                "Region",
                "eastus",
                o -> set(o, "spec.stores[0].endpoint", "ftp://storage.example/images"),
                "spec.stores[0].endpoint",
                "must be a file:///path, an http(s)://host URL, an s3://bucket/prefix"));
        cases.add(new Case(
                "store endpoint holding credentials",
                "Region",
                "eastus",
                o -> set(o, "spec.stores[0].endpoint", "https://gallery:s3cr3t@dav.example.com/images"),
                "spec.stores[0].endpoint",
                "must not hold credentials (user:password@host): put them in a Secret and name it in"
                        + " credentialsSecretRef"));
        cases.add(new Case(
                "s3 store whose bucket is no bucket name",
                "Region",
                "eastus",
                o -> set(o, "spec.stores[0].endpoint", "s3://Images_Bucket/gallery"),
                "spec.stores[0].endpoint",
                "an s3://bucket/prefix (bucket: 3 to 63 lower-case letters, digits, '.' and '-')"));
        cases.add(new Case(
                "s3 store without its service",
                "Region",
                "eastus",
                o -> set(o, "spec.stores[0].endpoint", "s3://images/gallery"),
                "spec.stores[0]",
                "s3 (the service url and region) is required for an s3:// endpoint, and only for one"));
        cases.add(new Case(
                "s3 service on a file store",
                "Region",
                "eastus",
                o -> set(o, "spec.stores[0].s3", Map.of("url", "https://s3.example.com")),
                "spec.stores[0]",
                "s3 (the service url and region) is required for an s3:// endpoint, and only for one"));
        cases.add(new Case(
                "s3 service URL with a path",
                "Region",
                "eastus",
                o -> {
                    set(o, "spec.stores[0].endpoint", "s3://images/gallery");
                    set(o, "spec.stores[0].s3", Map.of("url", "https://s3.example.com/images"));
                },
                "spec.stores[0].s3.url",
                "must be the service's http(s)://host[:port] URL, without a path or credentials"));
        cases.add(new Case(
                "credentials for a file store",
                "Region",
                "eastus",
                o -> set(o, "spec.stores[0].credentialsSecretRef", Map.of("name", "creds")),
                "spec.stores[0]",
                "credentialsSecretRef does not apply to a file:/// store"));
        cases.add(new Case(
                "a CA for a store reached over plain http",
                "Region",
                "eastus",
                o -> {
                    set(o, "spec.stores[0].endpoint", "http://dav.example.com/images");
                    set(o, "spec.stores[0].tls", Map.of("caSecretRef", Map.of("name", "ca")));
                },
                "spec.stores[0]",
                "tls applies only to a store reached over https"));
        cases.add(new Case(
                "read endpoint holding credentials",
                "Region",
                "eastus",
                o -> set(o, "spec.stores[0].readEndpoint", "https://reader:pw@cdn.example.com/images"),
                "spec.stores[0].readEndpoint",
                "must not hold credentials (user:password@host): consumers read with credentials of their own"));
        cases.add(new Case(
                "read endpoint of another scheme",
                "Region",
                "eastus",
                o -> set(o, "spec.stores[0].readEndpoint", "ftp://cdn.example.com/images"),
                "spec.stores[0].readEndpoint",
                "must be an http(s)://host URL, an s3://bucket/prefix, an oci://host[:port]/repository-prefix"));
        cases.add(new Case(
                "https read endpoint of a registry store",
                "Region",
                "eastus",
                o -> {
                    set(o, "spec.stores[0].endpoint", "oci://registry.example.com/images");
                    set(o, "spec.stores[0].readEndpoint", "https://cdn.example.com/images");
                },
                "spec.stores[0]",
                "readEndpoint of an oci:// store must be an oci:// registry path, and only of one"));
        cases.add(new Case(
                "store name not a DNS label",
                "Region",
                "eastus",
                o -> set(o, "spec.stores[0].name", "Store_1"),
                "spec.stores[0].name",
                "must be lower-case letters, digits and '-'"));
        cases.add(new Case(
                "duplicate store names",
                "Region",
                "eastus",
                o -> set(o, "spec.stores[1].name", "store-1"),
                "spec.stores",
                "store names must be unique within a region"));
        cases.add(new Case(
                "duplicate store endpoints",
                "Region",
                "eastus",
                o -> set(o, "spec.stores[1].endpoint", "file:///var/tmp/image-gallery-operator/stores/eastus/store-1"),
                "spec.stores",
                "store endpoints must be unique"));
        cases.add(new Case(
                "store zone not among the region's zones",
                "Region",
                "westeurope",
                o -> set(o, "spec.stores[0].zone", "4"),
                "spec.stores",
                "every store's zone must be one of spec.zones"));
        cases.add(new Case(
                "zone named in a region without zones",
                "Region",
                "eastus",
                o -> set(o, "spec.stores[0].zone", "1"),
                "spec.stores",
                "stores of a region without zones must not name a zone"));
        cases.add(new Case(
                "Standard_ZRS store in a region without zones",
                "Region",
                "eastus",
                o -> set(o, "spec.stores[0].storageAccountTypes", List.of("Standard_ZRS")),
                "spec.stores",
                "Standard_ZRS is offered only by stores of a region with zones"));
        cases.add(new Case(
                "restricted region without allow-list",
                "Region",
                "australiacentral",
                o -> set(o, "spec.allowedNamespaces", null),
                "spec",
                "a restricted region needs spec.allowedNamespaces"));
        cases.add(new Case(
                "allow-listed namespace that is no namespace name",
                "Region",
                "australiacentral",
                o -> set(o, "spec.allowedNamespaces", List.of("Team_A")),
                "spec.allowedNamespaces",
                "each entry must be a namespace name"));
        cases.add(new Case(
                "negative store capacity",
                "Region",
                "eastus",
                o -> set(o, "spec.stores[0].capacity", "-5Gi"),
                "spec.stores[0].capacity",
                "must be a positive Kubernetes quantity of bytes"));
        cases.add(new Case(
                "store capacity that is no quantity",
                "Region",
                "eastus",
                o -> set(o, "spec.stores[0].capacity", "lots"),
                "spec.stores[0].capacity",
                "must be a positive Kubernetes quantity of bytes"));
        cases.add(new Case(
                "more than three zones",
                "Region",
                "westeurope",
                o -> set(o, "spec.zones", List.of("1", "2", "3", "4")),
                "spec.zones",
                "must have at most 3 items"));
        cases.add(new Case(
                "duplicate zones",
                "Region",
                "westeurope",
                o -> set(o, "spec.zones", List.of("1", "1", "2")),
                "spec.zones",
                "zone names must be unique"));
        // Gallery
        cases.add(new Case(
                "gallery name with '-'",
                "Gallery",
                "contoso.images",
                o -> o.getMetadata().setName("contoso-images"),
                "",
                "metadata.name of a Gallery must be at most 80 lower-case letters, digits and '.'"));
        cases.add(new Case(
                "gallery description too long",
                "Gallery",
                "contoso.images",
                o -> set(o, "spec.description", "x".repeat(4097)),
                "spec.description",
                "Too long"));
        cases.add(new Case(
                "service account subject without namespace",
                "Gallery",
                "contoso.images",
                o -> set(o, "spec.sharing.subjects[0]", Map.of("kind", "ServiceAccount", "name", "deployer")),
                "spec.sharing.subjects[0]",
                "namespace is required for a ServiceAccount subject"));
        cases.add(new Case(
                "user subject with namespace",
                "Gallery",
                "contoso.images",
                o -> set(o, "spec.sharing.subjects[0]", Map.of("kind", "User", "name", "alice", "namespace", "ns")),
                "spec.sharing.subjects[0]",
                "not allowed for a User or Group subject"));
        cases.add(new Case(
                "subject kind outside the enum",
                "Gallery",
                "contoso.images",
                o -> set(o, "spec.sharing.subjects[0].kind", "Robot"),
                "spec.sharing.subjects[0].kind",
                "Unsupported value: \"Robot\""));
        cases.add(new Case(
                "soft delete kept for more than 30 days",
                "Gallery",
                "contoso.images",
                o -> set(o, "spec.softDelete", Map.of("enabled", true, "retentionDays", 31)),
                "spec.softDelete.retentionDays",
                "should be less than or equal to 30"));
        cases.add(new Case(
                "soft delete kept for no day",
                "Gallery",
                "contoso.images",
                o -> set(o, "spec.softDelete", Map.of("enabled", true, "retentionDays", 0)),
                "spec.softDelete.retentionDays",
                "should be greater than or equal to 1"));
        // ImageDefinition
        cases.add(new Case(
                "publisher ending in '.'",
                "ImageDefinition",
                "ubuntu-22.04",
                o -> set(o, "spec.identifier.publisher", "Contoso."),
                "spec.identifier.publisher",
                "must not end with '.'"));
        cases.add(new Case(
                "offer with a space",
                "ImageDefinition",
                "ubuntu-22.04",
                o -> set(o, "spec.identifier.offer", "Ubuntu Server"),
                "spec.identifier.offer",
                "must contain only letters, digits, '-', '_' and '.'"));
        cases.add(new Case(
                "sku longer than 64",
                "ImageDefinition",
                "ubuntu-22.04",
                o -> set(o, "spec.identifier.sku", "s".repeat(65)),
                "spec.identifier.sku",
                "Too long"));
        cases.add(new Case(
                "publisher longer than 128",
                "ImageDefinition",
                "ubuntu-22.04",
                o -> set(o, "spec.identifier.publisher", "p".repeat(129)),
                "spec.identifier.publisher",
                "Too long"));
        cases.add(new Case(
                "definition without gallery",
                "ImageDefinition",
                "ubuntu-22.04",
                o -> set(o, "spec.galleryName", null),
                "spec.galleryName",
                "Required value"));
        cases.add(new Case(
                "osType outside the enum",
                "ImageDefinition",
                "ubuntu-22.04",
                o -> set(o, "spec.osType", "Linux2"),
                "spec.osType",
                "Unsupported value: \"Linux2\""));
        cases.add(new Case(
                "definition without osState",
                "ImageDefinition",
                "ubuntu-22.04",
                o -> set(o, "spec.osState", null),
                "spec.osState",
                "Required value"));
        cases.add(new Case(
                "hyperVGeneration outside the enum",
                "ImageDefinition",
                "ubuntu-22.04",
                o -> set(o, "spec.hyperVGeneration", "V3"),
                "spec.hyperVGeneration",
                "Unsupported value: \"V3\""));
        cases.add(new Case(
                "architecture outside the enum",
                "ImageDefinition",
                "ubuntu-22.04",
                o -> set(o, "spec.architecture", "arm"),
                "spec.architecture",
                "Unsupported value: \"arm\""));
        cases.add(new Case(
                "recommended vCPUs min above max",
                "ImageDefinition",
                "ubuntu-22.04",
                o -> set(o, "spec.recommended.vCPUs", Map.of("min", 8, "max", 2)),
                "spec.recommended.vCPUs",
                "min must not be greater than max"));
        cases.add(new Case(
                "recommended memory below 1 GiB",
                "ImageDefinition",
                "ubuntu-22.04",
                o -> set(o, "spec.recommended.memoryGiB.min", 0),
                "spec.recommended.memoryGiB.min",
                "greater than or equal to 1"));
        cases.add(new Case(
                "definition end of life that is no date",
                "ImageDefinition",
                "ubuntu-22.04",
                o -> set(o, "spec.endOfLifeDate", "next year"),
                "spec.endOfLifeDate",
                "must be a date (2027-12-31) or an RFC 3339 time"));
        cases.add(new Case(
                "release notes URI that is no http URL",
                "ImageDefinition",
                "ubuntu-22.04",
                o -> set(o, "spec.releaseNoteUri", "ftp://notes.example"),
                "spec.releaseNoteUri",
                "must be an http:// or https:// URL"));
        cases.add(new Case(
                "duplicate feature names",
                "ImageDefinition",
                "ubuntu-22.04",
                o -> set(
                        o,
                        "spec.features",
                        List.of(Map.of("name", "A", "value", "1"), Map.of("name", "A", "value", "2"))),
                "spec.features",
                "feature names must be unique"));
        cases.add(new Case(
                "retention keeping no version",
                "ImageDefinition",
                "ubuntu-22.04",
                o -> set(o, "spec.retention", Map.of("keepLatest", 0)),
                "spec.retention.keepLatest",
                "should be greater than or equal to 1"));
        cases.add(new Case(
                "retention regions without keepIn: Regions",
                "ImageDefinition",
                "ubuntu-22.04",
                o -> set(
                        o,
                        "spec.retention",
                        Map.of("keepLatest", 2, "olderVersions", Map.of("regions", List.of("westeurope")))),
                "spec.retention.olderVersions",
                "olderVersions.regions is set with keepIn: Regions, and only then"));
        cases.add(new Case(
                "retention keepIn: Regions without regions",
                "ImageDefinition",
                "ubuntu-22.04",
                o -> set(o, "spec.retention", Map.of("keepLatest", 2, "olderVersions", Map.of("keepIn", "Regions"))),
                "spec.retention.olderVersions",
                "olderVersions.regions is set with keepIn: Regions, and only then"));
        cases.add(new Case(
                "retention regions repeated",
                "ImageDefinition",
                "ubuntu-22.04",
                o -> set(
                        o,
                        "spec.retention",
                        Map.of(
                                "keepLatest",
                                2,
                                "olderVersions",
                                Map.of("keepIn", "Regions", "regions", List.of("westeurope", "westeurope")))),
                "spec.retention.olderVersions.regions",
                "regions must be unique"));
        cases.add(new Case(
                "deleteAfterEndOfLife in days",
                "ImageDefinition",
                "ubuntu-22.04",
                o -> set(o, "spec.retention", Map.of("keepLatest", 2, "deleteAfterEndOfLife", "30d")),
                "spec.retention.deleteAfterEndOfLife",
                "must be a duration in hours, minutes and seconds, such as 720h, 1h30m or 0s"));
        cases.add(new Case(
                "definition name longer than 80",
                "ImageDefinition",
                "ubuntu-22.04",
                o -> o.getMetadata().setName("d".repeat(81)),
                "",
                "metadata.name of an ImageDefinition must be at most 80 characters"));
        // ImageVersion
        cases.add(new Case(
                "two data disks on one LUN",
                "ImageVersion",
                "ubuntu-22.04-1.0.0",
                o -> set(o, "spec.dataDisks", List.of(dataDisk(1, 1024L), dataDisk(1, 1024L))),
                "spec.dataDisks",
                "each data disk's lun must be unique: two data disks cannot share a LUN"));
        cases.add(new Case(
                "data disk LUN 64",
                "ImageVersion",
                "ubuntu-22.04-1.0.0",
                o -> set(o, "spec.dataDisks", List.of(dataDisk(64, 1024L))),
                "spec.dataDisks[0].lun",
                "should be less than or equal to 63"));
        cases.add(new Case(
                "data disk LUN -1",
                "ImageVersion",
                "ubuntu-22.04-1.0.0",
                o -> set(o, "spec.dataDisks", List.of(dataDisk(-1, 1024L))),
                "spec.dataDisks[0].lun",
                "should be greater than or equal to 0"));
        cases.add(new Case(
                "more disk copies than a status can show",
                "ImageVersion",
                "ubuntu-22.04-1.0.0",
                o -> {
                    set(
                            o,
                            "spec.publishingProfile.targetRegions",
                            List.of(Map.of("name", "westeurope", "regionalReplicaCount", 100)));
                    set(
                            o,
                            "spec.dataDisks",
                            java.util.stream.IntStream.range(0, 40)
                                    .mapToObj(lun -> dataDisk(lun, 1024L))
                                    .toList());
                },
                "spec.dataDisks",
                "the disks of all replicas together (the replicas of all target regions, times 1 + the number of"
                        + " data disks) must be at most 4000"));
        cases.add(new Case(
                "data disk without its size",
                "ImageVersion",
                "ubuntu-22.04-1.0.0",
                o -> set(o, "spec.dataDisks", List.of(dataDisk(0, null))),
                "spec.dataDisks[0].source.sizeBytes",
                "a data disk's source.sizeBytes is required"));
        cases.add(new Case(
                "version with two parts",
                "ImageVersion",
                "ubuntu-22.04-1.0.0",
                o -> set(o, "spec.version", "1.0.0.0"),
                "spec.version",
                "must be Major.Minor.Patch"));
        cases.add(new Case(
                "version with a leading zero",
                "ImageVersion",
                "ubuntu-22.04-1.0.0",
                o -> set(o, "spec.version", "1.01.0"),
                "spec.version",
                "without leading zeros"));
        cases.add(new Case(
                "version part beyond 32 bits",
                "ImageVersion",
                "ubuntu-22.04-1.0.0",
                o -> set(o, "spec.version", "1.0.4294967296"),
                "spec.version",
                "must be at most 2147483647 (a 32-bit integer)"));
        cases.add(new Case(
                "sha256 in upper case",
                "ImageVersion",
                "ubuntu-22.04-1.0.0",
                o -> set(o, "spec.source.sha256", "5370A820319621C2FA24C04D3C9DCB05E5A1136117F4A05E5C5B595E5A852E8E"),
                "spec.source.sha256",
                "must be a SHA-256 digest: 64 lower-case hexadecimal characters"));
        cases.add(new Case(
                "sha256 too short",
                "ImageVersion",
                "ubuntu-22.04-1.0.0",
                o -> set(o, "spec.source.sha256", "abc123"),
                "spec.source.sha256",
                "should be at least 64 chars long"));
        cases.add(new Case(
                "source URL with another scheme",
                "ImageVersion",
                "ubuntu-22.04-1.0.0",
                o -> set(o, "spec.source.url", "ftp://builds.example.com/image.vhd"),
                "spec.source.url",
                "must be a file:///path, an http(s)://host URL, an s3://bucket/key or an"
                        + " oci://host[:port]/repository@sha256:<64 hex digits> URL"));
        cases.add(new Case(
                "registry source by tag, which can move",
                "ImageVersion",
                "ubuntu-22.04-1.0.0",
                o -> set(o, "spec.source.url", "oci://registry.example.com/golden/ubuntu:latest"),
                "spec.source.url",
                "oci://host[:port]/repository@sha256:<64 hex digits> URL"));
        cases.add(new Case(
                "source URL holding credentials",
                "ImageVersion",
                "ubuntu-22.04-1.0.0",
                o -> set(o, "spec.source.url", "https://build:s3cr3t@images.example.com/ubuntu.img"),
                "spec.source.url",
                "must not hold credentials (user:password@host)"));
        cases.add(new Case(
                "negative source size",
                "ImageVersion",
                "ubuntu-22.04-1.0.0",
                o -> set(o, "spec.source.sizeBytes", -1),
                "spec.source.sizeBytes",
                "greater than or equal to 0"));
        cases.add(new Case(
                "source larger than 64 TiB",
                "ImageVersion",
                "ubuntu-22.04-1.0.0",
                o -> set(o, "spec.source.sizeBytes", SIXTY_FOUR_TIB + 1),
                "spec.source.sizeBytes",
                "must be at most 64 TiB (70368744177664 bytes)"));
        cases.add(new Case(
                "no target regions",
                "ImageVersion",
                "ubuntu-22.04-1.0.0",
                o -> set(o, "spec.publishingProfile.targetRegions", List.of()),
                "spec.publishingProfile.targetRegions",
                "should have at least 1 items"));
        cases.add(new Case(
                "more than 100 target regions",
                "ImageVersion",
                "ubuntu-22.04-1.0.0",
                o -> set(o, "spec.publishingProfile.targetRegions", manyRegions(101)),
                "spec.publishingProfile.targetRegions",
                "must have at most 100 items"));
        cases.add(new Case(
                "duplicate target regions",
                "ImageVersion",
                "ubuntu-22.04-1.0.0",
                o -> set(o, "spec.publishingProfile.targetRegions[1].name", "westeurope"),
                "spec.publishingProfile.targetRegions",
                "target region names must be unique"));
        cases.add(new Case(
                "regional replica count 0",
                "ImageVersion",
                "ubuntu-22.04-1.0.0",
                o -> set(o, "spec.publishingProfile.targetRegions[0].regionalReplicaCount", 0),
                "spec.publishingProfile.targetRegions[0].regionalReplicaCount",
                "greater than or equal to 1"));
        cases.add(new Case(
                "regional replica count above 100",
                "ImageVersion",
                "ubuntu-22.04-1.0.0",
                o -> set(o, "spec.publishingProfile.targetRegions[0].regionalReplicaCount", 101),
                "spec.publishingProfile.targetRegions[0].regionalReplicaCount",
                "less than or equal to 100"));
        cases.add(new Case(
                "common replica count above 100",
                "ImageVersion",
                "ubuntu-22.04-1.0.0",
                o -> set(o, "spec.publishingProfile.replicaCount", 101),
                "spec.publishingProfile.replicaCount",
                "less than or equal to 100"));
        cases.add(new Case(
                "1001 replicas in all regions",
                "ImageVersion",
                "ubuntu-22.04-1.0.0",
                o -> {
                    List<Map<String, Object>> regions = new ArrayList<>(regionsWithReplicas(10, 100));
                    regions.add(Map.of("name", "one-more"));
                    set(o, "spec.publishingProfile.targetRegions", regions);
                },
                "spec.publishingProfile",
                TOO_MANY_REPLICAS));
        cases.add(new Case(
                "common replica count over 1000 in all regions",
                "ImageVersion",
                "ubuntu-22.04-1.0.0",
                o -> {
                    set(o, "spec.publishingProfile.replicaCount", 100);
                    set(o, "spec.publishingProfile.targetRegions", regionsWithReplicas(11, null));
                },
                "spec.publishingProfile",
                TOO_MANY_REPLICAS));
        cases.add(new Case(
                "storage type outside the enum",
                "ImageVersion",
                "ubuntu-22.04-1.0.0",
                o -> set(o, "spec.publishingProfile.storageAccountType", "Standard_GRS"),
                "spec.publishingProfile.storageAccountType",
                "Unsupported value: \"Standard_GRS\""));
        cases.add(new Case(
                "source region not a target region",
                "ImageVersion",
                "ubuntu-22.04-1.0.0",
                o -> set(o, "spec.sourceRegion", "northeurope"),
                "spec.sourceRegion",
                "spec.sourceRegion must be one of spec.publishingProfile.targetRegions"));
        cases.add(new Case(
                "version end of life that is no time",
                "ImageVersion",
                "ubuntu-22.04-1.1.0",
                o -> set(o, "spec.publishingProfile.endOfLifeDate", "2031-13-45T99:00:00"),
                "spec.publishingProfile.endOfLifeDate",
                "must be a date (2027-12-31) or an RFC 3339 time"));
        cases.add(new Case(
                "version without source",
                "ImageVersion",
                "ubuntu-22.04-1.0.0",
                o -> set(o, "spec.source", null),
                "spec.source",
                "Required value"));
        return cases;
    }

    private static List<Map<String, Object>> manyRegions(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> Map.<String, Object>of("name", "region-" + i))
                .toList();
    }

    /** {@code count} target regions, the example's source region first, each with {@code replicas} regional replicas (none: the common count). */
    private static List<Map<String, Object>> regionsWithReplicas(int count, Integer replicas) {
        return IntStream.range(0, count)
                .mapToObj(i -> i == 0 ? "westeurope" : "region-" + i)
                .map(name -> replicas == null
                        ? Map.<String, Object>of("name", name)
                        : Map.<String, Object>of("name", name, "regionalReplicaCount", replicas))
                .toList();
    }

    /** An update of a created example: which field it changes, and the message if it must be refused. */
    record Update(
            String title, String kind, String example, Consumer<GenericKubernetesResource> change, String refusal) {
        @Override
        public String toString() {
            return title;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("immutableFieldUpdates")
    void changingAnImmutableFieldIsRefusedNamingIt(Update u) {
        GenericKubernetesResource created = createFresh(u.kind(), u.example());

        assertThatThrownBy(() -> Edit.latest(client, created, u.change()))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getStatus().getMessage()).contains(u.refusal());
                });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mutableFieldUpdates")
    void changingAMutableFieldIsAccepted(Update u) {
        GenericKubernetesResource created = createFresh(u.kind(), u.example());

        GenericKubernetesResource updated = Edit.latest(client, created, u.change());
        assertThat(updated.getMetadata().getGeneration()).isEqualTo(2L);
    }

    static Stream<Update> immutableFieldUpdates() {
        return Stream.of(
                new Update(
                        "definition galleryName",
                        "ImageDefinition",
                        "ubuntu-22.04",
                        o -> set(o, "spec.galleryName", "other"),
                        "spec.galleryName is immutable"),
                new Update(
                        "definition identifier",
                        "ImageDefinition",
                        "ubuntu-22.04",
                        o -> set(o, "spec.identifier.sku", "other"),
                        "spec.identifier is immutable"),
                new Update(
                        "definition osType",
                        "ImageDefinition",
                        "ubuntu-22.04",
                        o -> set(o, "spec.osType", "Windows"),
                        "spec.osType is immutable"),
                new Update(
                        "definition osState",
                        "ImageDefinition",
                        "ubuntu-22.04",
                        o -> set(o, "spec.osState", "Specialized"),
                        "spec.osState is immutable"),
                new Update(
                        "definition hyperVGeneration",
                        "ImageDefinition",
                        "ubuntu-22.04",
                        o -> set(o, "spec.hyperVGeneration", "V1"),
                        "spec.hyperVGeneration is immutable"),
                new Update(
                        "definition architecture",
                        "ImageDefinition",
                        "ubuntu-22.04",
                        o -> set(o, "spec.architecture", "Arm64"),
                        "spec.architecture is immutable"),
                new Update(
                        "definition features removed",
                        "ImageDefinition",
                        "ubuntu-22.04",
                        o -> set(o, "spec.features", null),
                        "spec.features is immutable"),
                new Update(
                        "version imageDefinitionName",
                        "ImageVersion",
                        "ubuntu-22.04-1.0.0",
                        o -> set(o, "spec.imageDefinitionName", "other"),
                        "spec.imageDefinitionName is immutable"),
                new Update(
                        "version number",
                        "ImageVersion",
                        "ubuntu-22.04-1.0.0",
                        o -> set(o, "spec.version", "1.0.1"),
                        "spec.version is immutable"),
                new Update(
                        "version sourceRegion",
                        "ImageVersion",
                        "ubuntu-22.04-1.0.0",
                        o -> set(o, "spec.sourceRegion", "eastus"),
                        "spec.sourceRegion is immutable"),
                new Update(
                        "version source",
                        "ImageVersion",
                        "ubuntu-22.04-1.0.0",
                        o -> set(o, "spec.source.url", "file:///var/tmp/other.img"),
                        "spec.source is immutable"),
                new Update(
                        "version data disks added",
                        "ImageVersion",
                        "ubuntu-22.04-1.0.0",
                        o -> set(o, "spec.dataDisks", List.of(dataDisk(0, 1024L))),
                        "spec.dataDisks is immutable"),
                new Update(
                        "version storageAccountType",
                        "ImageVersion",
                        "ubuntu-22.04-1.0.0",
                        o -> set(o, "spec.publishingProfile.storageAccountType", "Premium_LRS"),
                        "spec.publishingProfile.storageAccountType is immutable"));
    }

    static Stream<Update> mutableFieldUpdates() {
        return Stream.of(
                new Update(
                        "gallery description and sharing",
                        "Gallery",
                        "contoso.images",
                        o -> {
                            set(o, "spec.description", "new words");
                            set(o, "spec.sharing", Map.of("subjects", List.of(Map.of("kind", "User", "name", "bob"))));
                        },
                        null),
                new Update(
                        "definition recommended resources",
                        "ImageDefinition",
                        "ubuntu-22.04",
                        o -> set(o, "spec.recommended.vCPUs", Map.of("min", 4, "max", 8)),
                        null),
                new Update(
                        "definition description, end of life and release notes",
                        "ImageDefinition",
                        "ubuntu-22.04",
                        o -> {
                            set(o, "spec.description", "new words");
                            set(o, "spec.endOfLifeDate", "2033-01-01T00:00:00Z");
                            set(o, "spec.releaseNoteUri", "https://notes.example/v2");
                        },
                        null),
                new Update(
                        "version target regions added",
                        "ImageVersion",
                        "ubuntu-22.04-1.0.0",
                        o -> {
                            List<Object> regions = new ArrayList<>(targetRegions(o));
                            regions.add(Map.of("name", "northeurope"));
                            set(o, "spec.publishingProfile.targetRegions", regions);
                        },
                        null),
                new Update(
                        "version target region removed",
                        "ImageVersion",
                        "ubuntu-22.04-1.0.0",
                        o -> set(o, "spec.publishingProfile.targetRegions[1]", null),
                        null),
                new Update(
                        "version replica counts",
                        "ImageVersion",
                        "ubuntu-22.04-1.0.0",
                        o -> {
                            set(o, "spec.publishingProfile.replicaCount", 3);
                            set(o, "spec.publishingProfile.targetRegions[0].regionalReplicaCount", 2);
                        },
                        null),
                new Update(
                        "version promoted to latest",
                        "ImageVersion",
                        "ubuntu-22.04-1.2.0",
                        o -> set(o, "spec.publishingProfile.excludeFromLatest", false),
                        null),
                new Update(
                        "version end of life",
                        "ImageVersion",
                        "ubuntu-22.04-1.1.0",
                        o -> set(o, "spec.publishingProfile.endOfLifeDate", "2032-06-30"),
                        null));
    }

    @SuppressWarnings("unchecked")
    private static List<Object> targetRegions(GenericKubernetesResource o) {
        Map<String, Object> spec =
                (Map<String, Object>) o.getAdditionalProperties().get("spec");
        return (List<Object>) ((Map<String, Object>) spec.get("publishingProfile"))
                .getOrDefault("targetRegions", Collections.emptyList());
    }

    /** Creates the example under a unique name, so each update case starts from generation 1. */
    private GenericKubernetesResource createFresh(String kind, String example) {
        GenericKubernetesResource object = Examples.get(kind, example, namespace);
        object.getMetadata().setName(example + "." + Long.toHexString(System.nanoTime()));
        return client.resource(object).create();
    }

    private static Map<String, Object> dataDisk(int lun, Long sizeBytes) {
        Map<String, Object> source =
                new java.util.HashMap<>(Map.of("url", "https://images.example/disk.img", "sha256", "ab".repeat(32)));
        if (sizeBytes != null) {
            source.put("sizeBytes", sizeBytes);
        }
        return Map.of("lun", lun, "source", source);
    }
}
