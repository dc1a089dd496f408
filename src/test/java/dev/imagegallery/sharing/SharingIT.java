package dev.imagegallery.sharing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.imagegallery.api.Gallery;
import dev.imagegallery.api.ImageDefinition;
import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.api.Sharing;
import dev.imagegallery.api.Subject;
import dev.imagegallery.testing.Await;
import dev.imagegallery.testing.ControlPlaneTestResource;
import dev.imagegallery.testing.Edit;
import dev.imagegallery.testing.Examples;
import dev.imagegallery.testing.TestCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The seed's access matrix, proved with SubjectAccessReviews against the real API server's RBAC. */
@QuarkusTest
@QuarkusTestResource(ControlPlaneTestResource.class)
class SharingIT {
    private static final String GALLERY_SHARE = "imagegallery-share-galleries-contoso.images";

    /** Someone asking the API server: a user name and the groups they are in. */
    record Who(String user, List<String> groups) {}

    @Inject
    KubernetesClient client;

    private String ns;
    private Who alice;
    private Who teamReader;
    private Who readerServiceAccount;

    @BeforeEach
    void galleryWithTwoDefinitionsAndAnotherGallery() {
        ns = TestCluster.newNamespace("sharing");
        alice = new Who("alice", List.of("system:authenticated"));
        teamReader = new Who("bob", List.of("team-readers", "system:authenticated"));
        readerServiceAccount = new Who(
                "system:serviceaccount:" + ns + ":reader",
                List.of("system:serviceaccounts", "system:serviceaccounts:" + ns, "system:authenticated"));
        Examples.applyRegions(client);
        create("Gallery", "contoso.images", null);
        create("ImageDefinition", "ubuntu-22.04", null);
        create("ImageDefinition", "windows-2022", null);
        create("ImageVersion", "ubuntu-22.04-1.0.0", null);
        create("ImageVersion", "windows-2022-2022.11.0", null);
        create("Gallery", "contoso.images", "other.gallery");
        GenericKubernetesResource otherDefinition = Examples.get("ImageDefinition", "ubuntu-22.04", ns);
        otherDefinition.getMetadata().setName("other-definition");
        Examples.set(otherDefinition, "spec.galleryName", "other.gallery");
        client.resource(otherDefinition).create();
    }

    @AfterEach
    void deleteNamespace() {
        client.namespaces().withName(ns).delete();
    }

    @Test
    void sharingAGalleryGrantsItsDefinitionsAndVersionsIncludingLaterOnesAndNothingElse() {
        share(
                Gallery.class,
                "contoso.images",
                subject("User", "alice", null),
                subject("Group", "team-readers", null),
                subject("ServiceAccount", "reader", ns));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            var status = client.resources(Gallery.class)
                    .inNamespace(ns)
                    .withName("contoso.images")
                    .get()
                    .getStatus();
            assertThat(status.sharing).isNotNull();
            assertThat(status.sharing.objects).isEqualTo(5);
            assertThat(status.sharing.subjects)
                    .containsExactly("User/alice", "Group/team-readers", "ServiceAccount/" + ns + "/reader");
        });

        for (Who who : List.of(alice, teamReader, readerServiceAccount)) {
            assertThat(canGet(who, "galleries", "contoso.images"))
                    .as("%s reads the gallery", who.user())
                    .isTrue();
            assertThat(canGet(who, "imagedefinitions", "ubuntu-22.04"))
                    .as("%s reads a definition", who.user())
                    .isTrue();
            assertThat(canGet(who, "imageversions", "windows-2022-2022.11.0"))
                    .as("%s reads a version", who.user())
                    .isTrue();
            assertThat(canGet(who, "galleries", "other.gallery"))
                    .as("%s: another gallery", who.user())
                    .isFalse();
            assertThat(canGet(who, "imagedefinitions", "other-definition"))
                    .as("%s: another gallery's definition", who.user())
                    .isFalse();
            assertThat(can(who, "update", "imageversions", "windows-2022-2022.11.0"))
                    .as("%s may not write", who.user())
                    .isFalse();
            assertThat(can(who, "delete", "galleries", "contoso.images"))
                    .as("%s may not delete", who.user())
                    .isFalse();
        }

        create("ImageVersion", "ubuntu-22.04-1.1.0", null);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(canGet(alice, "imageversions", "ubuntu-22.04-1.1.0"))
                        .isTrue());

        share(Gallery.class, "contoso.images");
        // The Role goes first, then the status says so: both are awaited.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(canGet(alice, "galleries", "contoso.images")).isFalse();
            assertThat(canGet(teamReader, "imageversions", "ubuntu-22.04-1.0.0"))
                    .isFalse();
            assertThat(client.resources(Gallery.class)
                            .inNamespace(ns)
                            .withName("contoso.images")
                            .get()
                            .getStatus()
                            .sharing)
                    .isNull();
        });
        assertThat(shareRoles()).as("the Role is deleted, not only emptied").isEmpty();
        assertThat(client.rbac()
                        .roleBindings()
                        .inNamespace(ns)
                        .withName(GALLERY_SHARE)
                        .get())
                .isNull();
    }

    /**
     * A share goes with its object through Kubernetes' garbage collector, which acts on owner references.
     * This control plane runs no kube-controller-manager, hence no garbage collector: what is checked is
     * the owner references it would follow.
     */
    @Test
    void theShareIsOwnedByTheSharedObjectSoThatItGoesWithIt() {
        share(Gallery.class, "contoso.images", subject("User", "alice", null));
        String uid = client.resources(Gallery.class)
                .inNamespace(ns)
                .withName("contoso.images")
                .get()
                .getMetadata()
                .getUid();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(client.rbac()
                            .roles()
                            .inNamespace(ns)
                            .withName(GALLERY_SHARE)
                            .get())
                    .isNotNull();
            assertThat(client.rbac()
                            .roleBindings()
                            .inNamespace(ns)
                            .withName(GALLERY_SHARE)
                            .get())
                    .isNotNull();
        });

        for (HasMetadata share : List.of(
                client.rbac().roles().inNamespace(ns).withName(GALLERY_SHARE).get(),
                client.rbac()
                        .roleBindings()
                        .inNamespace(ns)
                        .withName(GALLERY_SHARE)
                        .get())) {
            assertThat(share.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
                assertThat(owner.getKind()).isEqualTo("Gallery");
                assertThat(owner.getName()).isEqualTo("contoso.images");
                assertThat(owner.getUid()).isEqualTo(uid);
            });
        }
    }

    /**
     * A tenant who may edit RBAC in its namespace widens the share to a write verb, then strips the
     * label the operator watches shares by: each time the operator puts the share back as the grant
     * says, and the reader cannot write.
     */
    @Test
    void aTenantsEditOfTheShareIsUndone() {
        share(Gallery.class, "contoso.images", subject("User", "alice", null));
        await().atMost(Duration.ofSeconds(30)).until(() -> canGet(alice, "imageversions", "windows-2022-2022.11.0"));
        var role = client.rbac().roles().inNamespace(ns).withName(GALLERY_SHARE);

        Edit.latest(client, role.get(), r -> {
            r.getRules().forEach(rule -> rule.getVerbs().add("delete"));
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(role.get().getRules())
                    .allSatisfy(rule -> assertThat(rule.getVerbs()).containsExactlyInAnyOrder("get", "list", "watch"));
            assertThat(can(alice, "delete", "imageversions", "windows-2022-2022.11.0"))
                    .isFalse();
        });

        Edit.latest(client, role.get(), r -> {
            r.getMetadata().getLabels().clear();
            r.getRules().forEach(rule -> rule.getVerbs().add("delete"));
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(role.get().getMetadata().getLabels()).containsKey("imagegallery.dev/share-of");
            assertThat(can(alice, "delete", "imageversions", "windows-2022-2022.11.0"))
                    .isFalse();
        });
    }

    @Test
    void sharingADefinitionGrantsItsVersionsButNotItsGalleryOrItsSiblings() {
        Who carol = new Who("carol", List.of("system:authenticated"));
        share(ImageDefinition.class, "ubuntu-22.04", subject("User", "carol", null));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(canGet(carol, "imageversions", "ubuntu-22.04-1.0.0"))
                        .isTrue());

        assertThat(canGet(carol, "imagedefinitions", "ubuntu-22.04")).isTrue();
        assertThat(canGet(carol, "galleries", "contoso.images")).isFalse();
        assertThat(canGet(carol, "imagedefinitions", "windows-2022")).isFalse();
        assertThat(canGet(carol, "imageversions", "windows-2022-2022.11.0"))
                .as("a version of another definition")
                .isFalse();
        create("ImageVersion", "ubuntu-22.04-1.1.0", null);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(canGet(carol, "imageversions", "ubuntu-22.04-1.1.0"))
                        .isTrue());
    }

    @Test
    void sharingAVersionGrantsThatVersionOnly() {
        Who dave = new Who(
                "system:serviceaccount:" + ns + ":dave", List.of("system:serviceaccounts", "system:authenticated"));
        share(ImageVersion.class, "windows-2022-2022.11.0", subject("ServiceAccount", "dave", ns));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(canGet(dave, "imageversions", "windows-2022-2022.11.0"))
                        .isTrue());

        assertThat(canGet(dave, "imagedefinitions", "windows-2022")).isFalse();
        assertThat(canGet(dave, "imageversions", "ubuntu-22.04-1.0.0")).isFalse();
        assertThat(canGet(dave, "galleries", "contoso.images")).isFalse();
    }

    @Test
    void noGeneratedRoleEverGrantsAWriteVerbOrAnUnnamedResource() {
        share(Gallery.class, "contoso.images", subject("User", "alice", null));
        share(ImageDefinition.class, "windows-2022", subject("Group", "team-readers", null));
        share(ImageVersion.class, "ubuntu-22.04-1.0.0", subject("User", "erin", null));
        share(Gallery.class, "other.gallery", subject("User", "frank", null));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(shareRoles()).hasSize(4));

        for (Role role : shareRoles()) {
            assertThat(role.getRules()).allSatisfy(rule -> {
                assertThat(ShareGrant.VERBS).containsAll(rule.getVerbs());
                assertThat(rule.getResourceNames())
                        .as("an empty list would grant every object")
                        .isNotEmpty();
                assertThat(rule.getApiGroups()).containsExactly("imagegallery.dev");
            });
        }
    }

    @Test
    void aSystemGroupIsRefusedAndTheExistingShareWithdrawnUntilItIsRemoved() {
        share(Gallery.class, "contoso.images", subject("User", "alice", null));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() ->
                        assertThat(canGet(alice, "galleries", "contoso.images")).isTrue());

        share(
                Gallery.class,
                "contoso.images",
                subject("User", "alice", null),
                subject("Group", "system:authenticated", null));
        var stalled =
                Await.condition(client, Gallery.class, ns, "contoso.images", "Stalled", "True", "SubjectNotAllowed");
        assertThat(stalled.message)
                .contains("Group system:authenticated", "image-gallery.sharing.allow-system-subjects");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(shareRoles()).as("no Role while a subject is refused").isEmpty();
            assertThat(client.rbac()
                            .roleBindings()
                            .inNamespace(ns)
                            .withName(GALLERY_SHARE)
                            .get())
                    .isNull();
            assertThat(canGet(new Who("mallory", List.of("system:authenticated")), "galleries", "contoso.images"))
                    .isFalse();
            assertThat(canGet(alice, "galleries", "contoso.images"))
                    .as("the whole share is withdrawn")
                    .isFalse();
        });
        assertThat(client.resources(Gallery.class)
                        .inNamespace(ns)
                        .withName("contoso.images")
                        .get()
                        .getStatus()
                        .sharing)
                .isNull();
        assertThat(client.v1().events().inNamespace(ns).list().getItems()).anySatisfy(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getReason()).isEqualTo("SubjectNotAllowed");
            assertThat(e.getMessage()).contains("Group system:authenticated");
        });

        share(Gallery.class, "contoso.images", subject("User", "alice", null));
        Await.condition(client, Gallery.class, ns, "contoso.images", "Ready", "True", "Available");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() ->
                        assertThat(canGet(alice, "galleries", "contoso.images")).isTrue());
    }

    @Test
    void definitionsAndVersionsSharedWithSystemUsersOrGroupsAreStalledAndGetNoRole() {
        share(ImageDefinition.class, "ubuntu-22.04", subject("Group", "system:unauthenticated", null));
        share(ImageVersion.class, "ubuntu-22.04-1.0.0", subject("User", "system:anonymous", null));

        Await.condition(client, ImageDefinition.class, ns, "ubuntu-22.04", "Stalled", "True", "SubjectNotAllowed");
        Await.condition(client, ImageVersion.class, ns, "ubuntu-22.04-1.0.0", "Stalled", "True", "SubjectNotAllowed");
        assertThat(shareRoles()).isEmpty();
        assertThat(canGet(
                        new Who("system:anonymous", List.of("system:unauthenticated")),
                        "imageversions",
                        "ubuntu-22.04-1.0.0"))
                .isFalse();
    }

    private List<Role> shareRoles() {
        return client.rbac().roles().inNamespace(ns).list().getItems().stream()
                .filter(r -> r.getMetadata().getName().startsWith("imagegallery-share-"))
                .toList();
    }

    private boolean canGet(Who who, String resource, String name) {
        return can(who, "get", resource, name);
    }

    private boolean can(Who who, String verb, String resource, String name) {
        return client.authorization()
                .v1()
                .subjectAccessReview()
                .create(new SubjectAccessReviewBuilder()
                        .withNewSpec()
                        .withUser(who.user())
                        .withGroups(who.groups())
                        .withNewResourceAttributes()
                        .withGroup("imagegallery.dev")
                        .withResource(resource)
                        .withName(name)
                        .withVerb(verb)
                        .withNamespace(ns)
                        .endResourceAttributes()
                        .endSpec()
                        .build())
                .getStatus()
                .getAllowed();
    }

    /** Sets spec.sharing with a merge patch, as kubectl patch would (no conflict with the operator's status writes). */
    private <T extends io.fabric8.kubernetes.client.CustomResource<?, ?>> void share(
            Class<T> kind, String name, Subject... subjects) {
        Sharing sharing = subjects.length == 0 ? null : new Sharing();
        if (sharing != null) {
            sharing.subjects = List.of(subjects);
        }
        String patch =
                "{\"spec\":{\"sharing\":" + client.getKubernetesSerialization().asJson(sharing) + "}}";
        client.resources(kind).inNamespace(ns).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    }

    private static Subject subject(String kind, String name, String namespace) {
        Subject subject = new Subject();
        subject.kind = Subject.SubjectKind.valueOf(kind);
        subject.name = name;
        subject.namespace = namespace;
        return subject;
    }

    private void create(String kind, String example, String name) {
        GenericKubernetesResource object = Examples.get(kind, example, ns);
        if (name != null) {
            object.getMetadata().setName(name);
        }
        Examples.set(object, "spec.sharing", null);
        client.resource(object).create();
    }
}
