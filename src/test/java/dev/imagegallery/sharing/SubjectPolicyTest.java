package dev.imagegallery.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegallery.api.Sharing;
import dev.imagegallery.api.Subject;
import dev.imagegallery.api.Subject.SubjectKind;
import dev.imagegallery.status.Reason;
import dev.imagegallery.validation.Violation;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubjectPolicyTest {
    private static final SubjectPolicy DEFAULT = new SubjectPolicy(false);

    private static Subject subject(SubjectKind kind, String name, String namespace) {
        Subject subject = new Subject();
        subject.kind = kind;
        subject.name = name;
        subject.namespace = namespace;
        return subject;
    }

    private static Sharing sharedWith(Subject... subjects) {
        Sharing sharing = new Sharing();
        sharing.subjects = List.of(subjects);
        return sharing;
    }

    @Test
    void systemGroupsAndUsersAreRefusedNamingEachSubjectAndTheSetting() {
        Sharing sharing = sharedWith(
                subject(SubjectKind.User, "alice", null),
                subject(SubjectKind.Group, "system:authenticated", null),
                subject(SubjectKind.User, "system:anonymous", null));

        Violation refusal = DEFAULT.refusal(sharing).orElseThrow();

        assertThat(refusal.reason()).isEqualTo(Reason.SubjectNotAllowed);
        assertThat(refusal.message())
                .contains(
                        "Group system:authenticated, User system:anonymous",
                        "image-gallery.sharing.allow-system-subjects")
                .doesNotContain("alice");
        assertThat(DEFAULT.grantable(sharing))
                .as("nothing is granted, not even alice's share")
                .isNull();
    }

    @Test
    void ordinaryUsersGroupsAndServiceAccountsAreGrantedAsDeclared() {
        Sharing sharing = sharedWith(
                subject(SubjectKind.User, "alice", null),
                subject(SubjectKind.Group, "team-readers", null),
                subject(SubjectKind.ServiceAccount, "reader", "build"),
                subject(SubjectKind.User, "systemd-operator", null));

        assertThat(DEFAULT.refusal(sharing)).isEmpty();
        assertThat(DEFAULT.grantable(sharing)).isSameAs(sharing);
    }

    @Test
    void theAdminMayAllowSystemSubjects() {
        Sharing sharing = sharedWith(subject(SubjectKind.Group, "system:serviceaccounts:build", null));

        assertThat(new SubjectPolicy(true).refusal(sharing)).isEmpty();
        assertThat(new SubjectPolicy(true).grantable(sharing)).isSameAs(sharing);
    }

    @Test
    void noSharingIsNothingToRefuse() {
        assertThat(DEFAULT.refusal(null)).isEmpty();
        assertThat(DEFAULT.refusal(new Sharing())).isEmpty();
    }
}
