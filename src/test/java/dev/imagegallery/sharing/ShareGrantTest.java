package dev.imagegallery.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegallery.api.Gallery;
import dev.imagegallery.api.Sharing;
import dev.imagegallery.api.Subject;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShareGrantTest {
    private static Gallery gallery(String name) {
        Gallery gallery = new Gallery();
        gallery.setMetadata(new ObjectMetaBuilder()
                .withName(name)
                .withNamespace("team")
                .withUid("uid-1")
                .build());
        return gallery;
    }

    private static Sharing sharedWith(Subject.SubjectKind kind, String name, String namespace) {
        Subject subject = new Subject();
        subject.kind = kind;
        subject.name = name;
        subject.namespace = namespace;
        Sharing sharing = new Sharing();
        sharing.subjects = List.of(subject);
        return sharing;
    }

    @Test
    void aGalleryGrantNamesExactlyItselfItsDefinitionsAndTheirVersionsForReadingOnly() {
        var grant = ShareGrant.of(
                gallery("g"),
                "galleries",
                sharedWith(Subject.SubjectKind.User, "alice", null),
                List.of("d2", "d1"),
                List.of("v1"));

        assertThat(grant.role().getRules())
                .extracting(r -> r.getResources().get(0), r -> r.getResourceNames())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("galleries", List.of("g")),
                        org.assertj.core.groups.Tuple.tuple("imagedefinitions", List.of("d1", "d2")),
                        org.assertj.core.groups.Tuple.tuple("imageversions", List.of("v1")));
        assertThat(grant.role().getRules())
                .allSatisfy(r -> assertThat(r.getVerbs()).containsExactly("get", "list", "watch"));
        assertThat(grant.effective().objects).isEqualTo(4);
        assertThat(List.of(grant.role().getMetadata(), grant.binding().getMetadata()))
                .as("what the operator watches")
                .allSatisfy(m -> assertThat(m.getLabels()).containsEntry(ShareGrant.SHARE_OF_LABEL, "galleries"));
    }

    @Test
    void kindsWithoutObjectsGetNoRuleBecauseAnEmptyListWouldGrantThemAll() {
        var grant = ShareGrant.of(
                gallery("g"),
                "galleries",
                sharedWith(Subject.SubjectKind.Group, "readers", null),
                List.of(),
                List.of());

        assertThat(grant.role().getRules())
                .hasSize(1)
                .allSatisfy(r -> assertThat(r.getResourceNames()).containsExactly("g"));
    }

    @Test
    void serviceAccountSubjectsKeepTheirNamespaceAndUsersAndGroupsTheRbacGroup() {
        var sa = ShareGrant.of(
                gallery("g"),
                "galleries",
                sharedWith(Subject.SubjectKind.ServiceAccount, "ci", "build"),
                List.of(),
                List.of());
        var group = ShareGrant.of(
                gallery("g"),
                "galleries",
                sharedWith(Subject.SubjectKind.Group, "readers", null),
                List.of(),
                List.of());

        assertThat(sa.binding().getSubjects().get(0).getNamespace()).isEqualTo("build");
        assertThat(sa.effective().subjects).containsExactly("ServiceAccount/build/ci");
        assertThat(group.binding().getSubjects().get(0).getApiGroup()).isEqualTo("rbac.authorization.k8s.io");
    }

    @Test
    void anUnsharedObjectHasNoEffectiveSharingAndLongNamesStayValid() {
        assertThat(ShareGrant.of(gallery("g"), "galleries", null, List.of(), List.of())
                        .effective())
                .isNull();
        assertThat(ShareGrant.of(gallery("v".repeat(253)), "imageversions", null, List.of(), List.of())
                        .roleName())
                .hasSize(253);
    }
}
