package dev.imagegallery.sharing;

import dev.imagegallery.api.Sharing;
import dev.imagegallery.api.Subject;
import dev.imagegallery.api.Subject.SubjectKind;
import dev.imagegallery.status.Reason;
import dev.imagegallery.validation.Violation;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Whom a share may name. Users and groups whose names start with {@code system:} belong to
 * Kubernetes ({@code system:authenticated}, {@code system:unauthenticated},
 * {@code system:serviceaccounts}, nodes, controllers) and would publish a tenant's images far beyond
 * the tenant: they are refused unless the admin allows them. A ServiceAccount subject always names
 * one account in one namespace and is allowed. Pure.
 */
public record SubjectPolicy(boolean allowSystemSubjects) {
    private static final String SYSTEM_PREFIX = "system:";

    /** Why the sharing cannot be granted, naming every refused subject; empty when it can. */
    public Optional<Violation> refusal(Sharing sharing) {
        if (allowSystemSubjects || sharing == null || sharing.subjects == null) {
            return Optional.empty();
        }
        List<Subject> refused = sharing.subjects.stream()
                .filter(s -> s.kind != SubjectKind.ServiceAccount && s.name.startsWith(SYSTEM_PREFIX))
                .toList();
        if (refused.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Violation(
                Reason.SubjectNotAllowed,
                "spec.sharing.subjects names "
                        + refused.stream().map(s -> s.kind + " " + s.name).collect(Collectors.joining(", "))
                        + ": sharing with system: users and groups is refused"
                        + " unless the admin sets image-gallery.sharing.allow-system-subjects=true (chart value sharing.allowSystemSubjects);"
                        + " nothing is shared until it is removed (name a service account as kind ServiceAccount)"));
    }

    /** The sharing to grant: as declared, or none while a subject is refused (an existing share is then withdrawn). */
    public Sharing grantable(Sharing sharing) {
        return refusal(sharing).isPresent() ? null : sharing;
    }
}
