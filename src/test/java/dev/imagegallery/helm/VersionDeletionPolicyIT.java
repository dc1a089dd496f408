package dev.imagegallery.helm;

import static dev.imagegallery.testing.Examples.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.testing.Await;
import dev.imagegallery.testing.Cli;
import dev.imagegallery.testing.Examples;
import dev.imagegallery.testing.Refusals;
import dev.imagegallery.testing.TestCluster;
import dev.imagegallery.testing.TestOperator;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The chart's deletion protection of versions, installed with the real helm CLI, with the operator
 * running: the API server itself refuses to delete a version with
 * {@code blockDeletionBeforeEndOfLife} before its end of life, as the operator's EndOfLife condition
 * tells it, and lets it go once that condition flips.
 */
class VersionDeletionPolicyIT {
    private static final String CHART = "deploy/helm/image-gallery-operator";
    private static final String TEMPLATE = "templates/version-deletion-policy.yaml";
    private static final Path PLAIN = Path.of("deploy/admission/version-deletion-policy.yaml");
    /** A release of its own, apart from HelmChartIT's and RbacAdmissionPolicyIT's. */
    private static final String RELEASE = "igo-deletion";

    private static final String RELEASE_NAMESPACE = "igo-deletion-system";
    private static final String PROTECTED = "rule protected-until-end-of-life";
    private static final String NOT_YET_JUDGED = "as far as the image-gallery operator knows";

    @RegisterExtension
    static final TestOperator operator = TestOperator.withTestSettings();

    private final KubernetesClient admin = TestCluster.client();
    private String ns;

    @BeforeAll
    static void installTheChart() {
        KubernetesClient admin = TestCluster.client();
        Examples.applyRegions(admin);
        Cli.helm("upgrade", "--install", RELEASE, CHART, "-n", RELEASE_NAMESPACE, "--create-namespace");
        // The API server starts enforcing a new policy a moment after it is stored.
        String probe = TestCluster.newNamespace("deletion-probe");
        GenericKubernetesResource version = Examples.get("ImageVersion", "ubuntu-22.04-1.0.0", probe);
        set(version, "spec.safetyProfile.blockDeletionBeforeEndOfLife", true);
        admin.resource(version).create();
        Resource<ImageVersion> probed =
                admin.resources(ImageVersion.class).inNamespace(probe).withName("ubuntu-22.04-1.0.0");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> String.valueOf(
                                Refusals.forbiddenOrNull(() -> probed.dryRun().delete()))
                        .contains("rule protected-without-end-of-life"));
        unprotect(probed);
    }

    @BeforeEach
    void namespaceWithTheExampleDefinition() {
        ns = TestCluster.newNamespace("deletion");
        Examples.applyUbuntuDefinition(admin, ns);
    }

    /** ClusterCleanup deletes each test's versions while the policy is still installed: none may stay protected. */
    @AfterEach
    void unprotectEveryVersion() {
        admin.resources(ImageVersion.class).inNamespace(ns).list().getItems().stream()
                .map(v -> admin.resources(ImageVersion.class)
                        .inNamespace(ns)
                        .withName(v.getMetadata().getName()))
                .forEach(VersionDeletionPolicyIT::unprotect);
    }

    @Test
    void deletingAProtectedVersionBeforeItsEndOfLifeIsRefusedNamingTheDate() {
        create("ubuntu-22.04-1.1.0", true, "2031-12-31");
        awaitEndOfLife("ubuntu-22.04-1.1.0", false);

        // Without --wait=false a deletion let through would wait for the finalizer, for ever.
        Cli.Result kubectl = Cli.run("kubectl", "delete", "--wait=false", "-n", ns, "imageversion/ubuntu-22.04-1.1.0");
        assertThat(kubectl.exitCode()).as(kubectl.output()).isNotZero();
        assertThat(kubectl.output())
                .contains(
                        "Error from server (Forbidden)",
                        PROTECTED
                                + ": ImageVersion ubuntu-22.04-1.1.0 has spec.safetyProfile.blockDeletionBeforeEndOfLife"
                                + " and its end of life, 2031-12-31, has not passed: it can be deleted after that date,"
                                + " or sooner by setting the flag to false");
        assertThat(Refusals.forbidden(() -> version("ubuntu-22.04-1.1.0").delete()))
                .contains(PROTECTED, "2031-12-31");
        assertStillThereAndNotTerminating("ubuntu-22.04-1.1.0");
    }

    /**
     * The namespace controller deletes a namespace's objects one collection at a time. The API server
     * deletes a collection item by item, admission asked for each, and stops at the first refusal.
     */
    @Test
    void deletingEveryVersionOfTheNamespaceAtOnceIsRefusedAtTheProtectedOne() {
        create("ubuntu-22.04-1.0.0", false, null);
        create("ubuntu-22.04-1.1.0", true, "2031-12-31");
        create("ubuntu-22.04-1.2.0", false, null);
        awaitEndOfLife("ubuntu-22.04-1.1.0", false);

        Cli.Result refused = deleteCollection();
        assertThat(refused.exitCode()).as(refused.output()).isNotZero();
        assertThat(refused.output())
                .contains("Forbidden", PROTECTED + ": ImageVersion ubuntu-22.04-1.1.0", "2031-12-31");
        // Items go in name order: the one before the protected version is deleted, the protected one refused, and
        // the API server's single delete-collection worker (its default) never reaches the one after.
        awaitGone("ubuntu-22.04-1.0.0");
        assertStillThereAndNotTerminating("ubuntu-22.04-1.1.0");
        assertStillThereAndNotTerminating("ubuntu-22.04-1.2.0");

        unprotect(version("ubuntu-22.04-1.1.0"));
        Cli.Result deleted = deleteCollection();
        assertThat(deleted.exitCode()).as(deleted.output()).isZero();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(admin.resources(ImageVersion.class)
                                .inNamespace(ns)
                                .list()
                                .getItems())
                        .isEmpty());
    }

    @Test
    void aVersionIsRefusedUntilTheOperatorSeesItsEndOfLifePassAndThenDeleted() {
        String soon =
                Instant.now().plusSeconds(20).truncatedTo(ChronoUnit.SECONDS).toString();
        create("ubuntu-22.04-1.0.0", true, soon);
        awaitEndOfLife("ubuntu-22.04-1.0.0", false);

        assertThat(Refusals.forbidden(() -> version("ubuntu-22.04-1.0.0").delete()))
                .contains(
                        PROTECTED, "ImageVersion ubuntu-22.04-1.0.0", "its end of life, " + soon + ", has not passed:");
        assertStillThereAndNotTerminating("ubuntu-22.04-1.0.0");

        awaitEndOfLife("ubuntu-22.04-1.0.0", true);
        assertThat(version("ubuntu-22.04-1.0.0").delete()).hasSize(1);
        awaitGone("ubuntu-22.04-1.0.0");
    }

    /** The EndOfLife condition counts for the generation it was written for: a date moved later is honoured at once. */
    @Test
    void anEndOfLifeMovedLaterIsHonouredBeforeTheOperatorHasSeenIt() {
        String soon =
                Instant.now().plusSeconds(5).truncatedTo(ChronoUnit.SECONDS).toString();
        create("ubuntu-22.04-1.0.0", true, soon);
        awaitEndOfLife("ubuntu-22.04-1.0.0", true);

        operator.stop();
        try {
            ImageVersion moved = version("ubuntu-22.04-1.0.0")
                    .patch(
                            PatchContext.of(PatchType.JSON_MERGE),
                            "{\"spec\":{\"publishingProfile\":{\"endOfLifeDate\":\"2031-12-31\"}}}");
            assertThat(Refusals.forbidden(() -> version("ubuntu-22.04-1.0.0").delete()))
                    .contains(
                            PROTECTED,
                            "its end of life, 2031-12-31, has not passed " + NOT_YET_JUDGED,
                            "EndOfLife condition of generation "
                                    + moved.getMetadata().getGeneration());
            assertStillThereAndNotTerminating("ubuntu-22.04-1.0.0");
        } finally {
            operator.start();
        }

        awaitEndOfLife("ubuntu-22.04-1.0.0", false);
        assertThat(Refusals.forbidden(() -> version("ubuntu-22.04-1.0.0").delete()))
                .contains(PROTECTED, "2031-12-31")
                .doesNotContain(NOT_YET_JUDGED);
    }

    @Test
    void aVersionWithoutTheFlagIsDeletedAsBefore() {
        create("ubuntu-22.04-1.1.0", false, "2031-12-31");
        awaitEndOfLife("ubuntu-22.04-1.1.0", false);

        assertThat(version("ubuntu-22.04-1.1.0").delete()).hasSize(1);
        awaitGone("ubuntu-22.04-1.1.0");
    }

    @Test
    void theFlagWithoutAnEndOfLifeIsRefusedSayingWhatToSet() {
        create("ubuntu-22.04-1.0.0", true, null);

        assertThat(Refusals.forbidden(() -> version("ubuntu-22.04-1.0.0").delete()))
                .contains("rule protected-without-end-of-life: ImageVersion ubuntu-22.04-1.0.0 has"
                        + " spec.safetyProfile.blockDeletionBeforeEndOfLife and no end of life: set"
                        + " spec.publishingProfile.endOfLifeDate (it can be deleted after that date) or set the flag"
                        + " to false");
        assertStillThereAndNotTerminating("ubuntu-22.04-1.0.0");
    }

    /** Users without Helm apply deploy/admission/: the same policy as the chart's, labels aside. */
    @Test
    void theChartShipsThePolicyOfDeployAdmissionScopedToItsNamespacesAndNoneWhenDisabled() throws IOException {
        List<JsonNode> chart =
                documents(Cli.helm("template", "image-gallery-operator", CHART, "--show-only", TEMPLATE));
        chart.forEach(d -> ((ObjectNode) d.get("metadata")).remove("labels"));
        assertThat(chart).isEqualTo(documents(Files.readString(PLAIN)));

        List<JsonNode> namespaced = documents(Cli.helm(
                "template", "igo", CHART, "--show-only", TEMPLATE, "-f", CHART + "/ci/namespaced-values.yaml"));
        assertThat(namespaced.get(1).at("/spec/matchResources/namespaceSelector/matchExpressions/0"))
                .hasToString("{\"key\":\"kubernetes.io/metadata.name\",\"operator\":\"In\","
                        + "\"values\":[\"team-a\",\"team-b\"]}");

        assertThat(Cli.helm("template", "igo", CHART, "--set", "deletionProtection.admissionPolicy.enabled=false"))
                .doesNotContain("-version-deletion")
                .contains("name: igo-image-gallery-operator-share-roles");
    }

    private void create(String example, boolean protect, String endOfLife) {
        GenericKubernetesResource version = Examples.get("ImageVersion", example, ns);
        set(version, "spec.safetyProfile.blockDeletionBeforeEndOfLife", protect);
        set(version, "spec.publishingProfile.endOfLifeDate", endOfLife);
        admin.resource(version).create();
    }

    private Resource<ImageVersion> version(String name) {
        return admin.resources(ImageVersion.class).inNamespace(ns).withName(name);
    }

    /** The operator's verdict on the version's current generation: the end of life reached, or not yet. */
    private void awaitEndOfLife(String name, boolean reached) {
        Await.condition(
                admin,
                ImageVersion.class,
                ns,
                name,
                "EndOfLife",
                reached ? "True" : "False",
                reached ? "EndOfLifeReached" : "Supported",
                Duration.ofSeconds(60));
    }

    /** Deleted, and let go by the operator's finalizer once it has deleted the replicas. */
    private void awaitGone(String name) {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(version(name).get())
                        .as("ImageVersion %s", name)
                        .isNull());
    }

    private void assertStillThereAndNotTerminating(String name) {
        ImageVersion live = version(name).get();
        assertThat(live).as("ImageVersion %s", name).isNotNull();
        assertThat(live.getMetadata().getDeletionTimestamp())
                .as("deletionTimestamp of %s", name)
                .isNull();
    }

    /** A DELETE of the collection, as the namespace controller sends it (not kubectl delete --all, which lists). */
    private Cli.Result deleteCollection() {
        return Cli.run(
                "kubectl",
                "delete",
                "--raw",
                "/apis/imagegallery.dev/v1alpha1/namespaces/" + ns + "/imageversions?propagationPolicy=Background");
    }

    private static void unprotect(Resource<ImageVersion> version) {
        version.patch(
                PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"safetyProfile\":{\"blockDeletionBeforeEndOfLife\":false}}}");
    }

    private static List<JsonNode> documents(String yaml) throws IOException {
        try (MappingIterator<JsonNode> parsed =
                new YAMLMapper().readerFor(JsonNode.class).readValues(yaml)) {
            return parsed.readAll().stream().filter(d -> !d.isEmpty()).toList();
        }
    }
}
