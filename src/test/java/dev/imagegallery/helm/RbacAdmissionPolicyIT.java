package dev.imagegallery.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.imagegallery.api.Gallery;
import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.api.Sharing;
import dev.imagegallery.api.Subject;
import dev.imagegallery.sharing.ShareGrant;
import dev.imagegallery.testing.Cli;
import dev.imagegallery.testing.Examples;
import dev.imagegallery.testing.OperatorSettings;
import dev.imagegallery.testing.Refusals;
import dev.imagegallery.testing.ServiceAccountClient;
import dev.imagegallery.testing.TestCluster;
import dev.imagegallery.testing.TestOperator;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The chart's admission policy, tried with the operator ServiceAccount's own token (as a thief of
 * that token would): it may write only read-only share Roles and RoleBindings, and the operator's
 * real sharing still works through it.
 */
class RbacAdmissionPolicyIT {
    private static final String CHART = "deploy/helm/image-gallery-operator";
    /** A release of its own, apart from HelmChartIT's igo in igo-system. */
    private static final String RELEASE = "igo-policy";

    private static final String RELEASE_NAMESPACE = "igo-policy-system";
    private static final String FULL_NAME = "igo-policy-image-gallery-operator";

    private static KubernetesClient operatorToken;
    private static final List<String> forbidden = new CopyOnWriteArrayList<>();

    private final KubernetesClient admin = TestCluster.client();
    private String ns;

    @BeforeAll
    static void installTheChartAndTakeItsServiceAccountsToken() {
        Cli.helm("upgrade", "--install", RELEASE, CHART, "-n", RELEASE_NAMESPACE, "--create-namespace");
        operatorToken = ServiceAccountClient.withToken(
                ServiceAccountClient.token(TestCluster.client(), RELEASE_NAMESPACE, FULL_NAME), forbidden);
        // The API server starts enforcing a new policy a moment after it is stored.
        String probe = TestCluster.newNamespace("policy-probe");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> String.valueOf(Refusals.forbiddenOrNull(() -> operatorToken
                                .resource(role("not-a-share", probe, RbacAdmissionPolicyIT::readGallery))
                                .dryRun()
                                .create()))
                        .contains("rule share-names-only"));
    }

    /** The release and its namespace go after the class (ClusterCleanup), the test namespaces after each test. */
    @AfterAll
    static void closeTheTokenClient() {
        operatorToken.close();
    }

    @BeforeEach
    void namespace() {
        ns = TestCluster.newNamespace("policy");
    }

    @Test
    void aShareRoleWithAWriteVerbIsRefusedAndSoIsTurningAShareIntoOne() {
        String refusal = Refusals.forbidden(() -> operatorToken
                .resource(role(
                        "imagegallery-share-galleries-g",
                        ns,
                        () -> readGallery().addToVerbs("patch")))
                .create());
        assertThat(refusal).contains("rule read-only", "get, list and watch");

        operatorToken
                .resource(role("imagegallery-share-galleries-g", ns, RbacAdmissionPolicyIT::readGallery))
                .create();
        // update, as patch above: verbs the operator holds itself, which Kubernetes' escalation check alone would let
        // it grant.
        // Applied as the operator changes its shares (the token may not read a Role, only watch the shares).
        assertThat(Refusals.forbidden(() -> operatorToken
                        .resource(role(
                                "imagegallery-share-galleries-g",
                                ns,
                                () -> readGallery().addToVerbs("update")))
                        .forceConflicts()
                        .serverSideApply()))
                .contains("rule read-only");
    }

    @Test
    void aShareRoleOnAnotherApiGroupOrOnEveryObjectOfAKindIsRefused() {
        // The operator may read Events everywhere, so Kubernetes' own escalation check would let this through.
        assertThat(Refusals.forbidden(() -> operatorToken
                        .resource(role(
                                "imagegallery-share-events",
                                ns,
                                () -> new PolicyRuleBuilder()
                                        .withApiGroups("")
                                        .withResources("events")
                                        .withResourceNames("e")
                                        .withVerbs("get")))
                        .create()))
                .contains("rule read-only");
        assertThat(Refusals.forbidden(() -> operatorToken
                        .resource(role(
                                "imagegallery-share-every-gallery",
                                ns,
                                () -> new PolicyRuleBuilder()
                                        .withApiGroups("imagegallery.dev")
                                        .withResources("galleries")
                                        .withVerbs("get", "list")))
                        .create()))
                .contains("rule read-only", "resourceNames");
    }

    @Test
    void aRoleNotNamedAsAShareIsRefusedAndAnotherRoleCannotBeDeleted() {
        assertThat(Refusals.forbidden(() -> operatorToken
                        .resource(role("gallery-reader", ns, RbacAdmissionPolicyIT::readGallery))
                        .create()))
                .contains("rule share-names-only", "not gallery-reader");

        admin.resource(role("tenant-admin", ns, RbacAdmissionPolicyIT::readGallery))
                .create();
        assertThat(Refusals.forbidden(() -> operatorToken
                        .rbac()
                        .roles()
                        .inNamespace(ns)
                        .withName("tenant-admin")
                        .delete()))
                .contains("rule share-names-only", "not tenant-admin");
        assertThat(admin.rbac().roles().inNamespace(ns).withName("tenant-admin").get())
                .isNotNull();
    }

    /**
     * Kubernetes itself refuses this before any admission policy runs: binding a role needs every right
     * it grants (or the bind verb). The policy's own-role rule covers the bindings that check lets through.
     */
    @Test
    void aBindingToClusterAdminIsRefused() {
        RoleBinding binding =
                binding("imagegallery-share-galleries-g", "ClusterRole", "cluster-admin", "User", "mallory");

        assertThat(Refusals.forbidden(() -> operatorToken.resource(binding).create()))
                .contains("is attempting to grant RBAC permissions not currently held");
        assertThat(admin.rbac()
                        .roleBindings()
                        .inNamespace(ns)
                        .withName("imagegallery-share-galleries-g")
                        .get())
                .isNull();
    }

    @Test
    void aBindingToTheOperatorsOwnClusterRoleOrToAnotherShareIsRefused() {
        // The operator holds every right of its own ClusterRole: Kubernetes' escalation check alone would allow this
        // binding.
        assertThat(Refusals.forbidden(() -> operatorToken
                        .resource(
                                binding("imagegallery-share-galleries-g", "ClusterRole", FULL_NAME, "User", "mallory"))
                        .create()))
                .contains("rule own-role", "not ClusterRole " + FULL_NAME);

        operatorToken
                .resource(role("imagegallery-share-galleries-g", ns, RbacAdmissionPolicyIT::readGallery))
                .create();
        assertThat(Refusals.forbidden(() -> operatorToken
                        .resource(binding(
                                "imagegallery-share-galleries-h",
                                "Role",
                                "imagegallery-share-galleries-g",
                                "User",
                                "mallory"))
                        .create()))
                .contains("rule own-role", "not Role imagegallery-share-galleries-g");
    }

    @Test
    void aBindingToSystemGroupsIsRefused() {
        operatorToken
                .resource(role("imagegallery-share-galleries-g", ns, RbacAdmissionPolicyIT::readGallery))
                .create();

        assertThat(Refusals.forbidden(() -> operatorToken
                        .resource(binding(
                                "imagegallery-share-galleries-g",
                                "Role",
                                "imagegallery-share-galleries-g",
                                "Group",
                                "system:unauthenticated"))
                        .create()))
                .contains("rule no-system-subjects");
    }

    @Test
    void aShareAsTheOperatorWritesItIsAcceptedAndRemoved() {
        Gallery gallery = new Gallery();
        gallery.setMetadata(new ObjectMetaBuilder()
                .withName("contoso.images")
                .withNamespace(ns)
                .withUid(UUID.randomUUID().toString())
                .build());
        Subject readers = new Subject();
        readers.kind = Subject.SubjectKind.Group;
        readers.name = "platform-readers";
        Sharing sharing = new Sharing();
        sharing.subjects = List.of(readers);
        ShareGrant grant =
                ShareGrant.of(gallery, "galleries", sharing, List.of("ubuntu-22.04"), List.of("ubuntu-22.04-1.0.0"));

        // As java-operator-sdk writes a share (server-side apply) and removes it when the object is no longer shared.
        operatorToken.resource(grant.role()).forceConflicts().serverSideApply();
        operatorToken.resource(grant.binding()).forceConflicts().serverSideApply();
        assertThat(admin.rbac()
                        .roles()
                        .inNamespace(ns)
                        .withName(grant.roleName())
                        .get()
                        .getRules())
                .hasSize(3);
        assertThat(admin.rbac()
                        .roleBindings()
                        .inNamespace(ns)
                        .withName(grant.roleName())
                        .get())
                .isNotNull();

        operatorToken.resource(grant.binding()).delete();
        operatorToken.resource(grant.role()).delete();
        assertThat(admin.rbac()
                        .roles()
                        .inNamespace(ns)
                        .withName(grant.roleName())
                        .get())
                .isNull();
        assertThat(admin.rbac()
                        .roleBindings()
                        .inNamespace(ns)
                        .withName(grant.roleName())
                        .get())
                .isNull();
    }

    @Test
    void theOperatorsRealSharingStillWorksWithItsToken() {
        forbidden.clear();
        Examples.applyRegions(admin);
        try (TestOperator operator = TestOperator.startOn(operatorToken, OperatorSettings.forTests())) {
            // The example gallery is shared with the Group platform-readers.
            for (String[] example : new String[][] {
                {"Gallery", "contoso.images"},
                {"ImageDefinition", "ubuntu-22.04"},
                {"ImageVersion", "ubuntu-22.04-1.0.0"}
            }) {
                admin.resource(Examples.get(example[0], example[1], ns)).create();
            }
            share(
                    ImageVersion.class,
                    "ubuntu-22.04-1.0.0",
                    "{\"subjects\":[{\"kind\":\"ServiceAccount\",\"name\":\"ci\",\"namespace\":\"" + ns + "\"}]}");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Role role = admin.rbac()
                        .roles()
                        .inNamespace(ns)
                        .withName("imagegallery-share-galleries-contoso.images")
                        .get();
                assertThat(role).isNotNull();
                assertThat(role.getRules())
                        .extracting(r -> r.getResources().get(0))
                        .containsExactly("galleries", "imagedefinitions", "imageversions");
                // The Role is written first: the binding may not be there yet.
                RoleBinding binding = admin.rbac()
                        .roleBindings()
                        .inNamespace(ns)
                        .withName("imagegallery-share-galleries-contoso.images")
                        .get();
                assertThat(binding).isNotNull();
                assertThat(binding.getSubjects()).extracting(s -> s.getName()).containsExactly("platform-readers");
                assertThat(admin.rbac()
                                .roleBindings()
                                .inNamespace(ns)
                                .withName("imagegallery-share-imageversions-ubuntu-22.04-1.0.0")
                                .get())
                        .isNotNull();
            });

            share(Gallery.class, "contoso.images", "null");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(admin.rbac()
                                .roles()
                                .inNamespace(ns)
                                .withName("imagegallery-share-galleries-contoso.images")
                                .get())
                        .isNull();
                assertThat(admin.rbac()
                                .roleBindings()
                                .inNamespace(ns)
                                .withName("imagegallery-share-galleries-contoso.images")
                                .get())
                        .isNull();
            });
        }
        assertThat(forbidden).as("requests the API server refused with 403").isEmpty();
    }

    @Test
    void theChartShipsThePolicyForItsOwnServiceAccountAndWithoutItWhenDisabled() {
        String rendered = Cli.helm("template", "igo", CHART, "-n", "igo-system");
        assertThat(rendered)
                .contains(
                        "name: igo-image-gallery-operator-share-roles",
                        "name: igo-image-gallery-operator-share-rolebindings",
                        "request.userInfo.username == 'system:serviceaccount:igo-system:igo-image-gallery-operator'",
                        "rule no-system-subjects",
                        "- name: IMAGE_GALLERY_SHARING_ALLOW_SYSTEM_SUBJECTS\n              value: \"false\"");

        // The version deletion policy has a switch of its own (VersionDeletionPolicyIT).
        assertThat(Cli.helm("template", "igo", CHART, "--set", "rbac.admissionPolicy.enabled=false"))
                .doesNotContain("-share-roles", "-share-rolebindings");
        assertThat(Cli.helm("template", "igo", CHART, "--set", "sharing.allowSystemSubjects=true"))
                .doesNotContain("rule no-system-subjects")
                .contains("- name: IMAGE_GALLERY_SHARING_ALLOW_SYSTEM_SUBJECTS\n              value: \"true\"");
    }

    private void share(Class<? extends CustomResource<?, ?>> kind, String name, String sharingJson) {
        admin.resources(kind)
                .inNamespace(ns)
                .withName(name)
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"sharing\":" + sharingJson + "}}");
    }

    private static PolicyRuleBuilder readGallery() {
        return new PolicyRuleBuilder()
                .withApiGroups("imagegallery.dev")
                .withResources("galleries")
                .withResourceNames("g")
                .withVerbs(ShareGrant.VERBS);
    }

    private static Role role(String name, String namespace, Supplier<PolicyRuleBuilder> rule) {
        return new RoleBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .withRules(rule.get().build())
                .build();
    }

    private RoleBinding binding(String name, String roleKind, String roleName, String subjectKind, String subjectName) {
        return new RoleBindingBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .endMetadata()
                .withNewRoleRef()
                .withApiGroup("rbac.authorization.k8s.io")
                .withKind(roleKind)
                .withName(roleName)
                .endRoleRef()
                .addNewSubject()
                .withApiGroup("rbac.authorization.k8s.io")
                .withKind(subjectKind)
                .withName(subjectName)
                .endSubject()
                .build();
    }
}
