package dev.imagegallery.sharing;

import dev.imagegallery.api.ApiGroup;
import dev.imagegallery.api.SharedStatus.EffectiveSharing;
import dev.imagegallery.api.Sharing;
import dev.imagegallery.api.Subject;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The RBAC that shares one object, per the model's matrix: a gallery shares itself, its definitions
 * and their versions; a definition shares itself and its versions; a version shares itself. Read
 * verbs only, limited by resourceNames to exactly those objects. Pure.
 */
public record ShareGrant(
        HasMetadata owner, String ownerPlural, List<Subject> subjects, Map<String, List<String>> namesByPlural) {
    /** Never anything but reading: a share must not let anyone change an image. */
    public static final List<String> VERBS = List.of("get", "list", "watch");
    /** Marks a share's Role and RoleBinding with the kind it shares, so that the operator watches only these. */
    public static final String SHARE_OF_LABEL = "imagegallery.dev/share-of";

    public static ShareGrant of(
            HasMetadata owner, String ownerPlural, Sharing sharing, List<String> definitions, List<String> versions) {
        List<Subject> subjects = sharing == null || sharing.subjects == null ? List.of() : sharing.subjects;
        Map<String, List<String>> names = new LinkedHashMap<>();
        names.put(ownerPlural, List.of(owner.getMetadata().getName()));
        // An empty resourceNames list would grant every object of the kind: such rules are left out.
        if (!definitions.isEmpty()) {
            names.merge("imagedefinitions", definitions.stream().sorted().toList(), ShareGrant::union);
        }
        if (!versions.isEmpty()) {
            names.merge("imageversions", versions.stream().sorted().toList(), ShareGrant::union);
        }
        return new ShareGrant(owner, ownerPlural, subjects, names);
    }

    public boolean shared() {
        return !subjects.isEmpty();
    }

    public String roleName() {
        String name =
                "imagegallery-share-" + ownerPlural + "-" + owner.getMetadata().getName();
        return name.length() <= 253 ? name : name.substring(0, 236) + "-" + digest(name);
    }

    public Role role() {
        List<PolicyRule> rules = namesByPlural.entrySet().stream()
                .map(e -> new PolicyRuleBuilder()
                        .withApiGroups(ApiGroup.GROUP)
                        .withResources(e.getKey())
                        .withResourceNames(e.getValue())
                        .withVerbs(VERBS)
                        .build())
                .toList();
        return new RoleBuilder().withMetadata(metadata()).withRules(rules).build();
    }

    public RoleBinding binding() {
        return new RoleBindingBuilder()
                .withMetadata(metadata())
                .withNewRoleRef()
                .withApiGroup("rbac.authorization.k8s.io")
                .withKind("Role")
                .withName(roleName())
                .endRoleRef()
                .withSubjects(subjects.stream().map(ShareGrant::rbacSubject).toList())
                .build();
    }

    public EffectiveSharing effective() {
        if (!shared()) {
            return null;
        }
        EffectiveSharing effective = new EffectiveSharing();
        effective.subjects = subjects.stream()
                .map(s -> s.kind + "/" + (s.namespace == null ? "" : s.namespace + "/") + s.name)
                .toList();
        effective.objects = namesByPlural.values().stream().mapToInt(List::size).sum();
        effective.role = roleName();
        return effective;
    }

    /** No owner reference: java-operator-sdk adds it when it applies the share (see ShareDependents). */
    private ObjectMeta metadata() {
        return new ObjectMetaBuilder()
                .withName(roleName())
                .withNamespace(owner.getMetadata().getNamespace())
                .addToLabels(SHARE_OF_LABEL, ownerPlural)
                .build();
    }

    private static io.fabric8.kubernetes.api.model.rbac.Subject rbacSubject(Subject subject) {
        var rbac = new io.fabric8.kubernetes.api.model.rbac.Subject();
        rbac.setKind(subject.kind.name());
        rbac.setName(subject.name);
        if (subject.kind == Subject.SubjectKind.ServiceAccount) {
            rbac.setNamespace(subject.namespace);
        } else {
            rbac.setApiGroup("rbac.authorization.k8s.io");
        }
        return rbac;
    }

    private static List<String> union(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream())
                .distinct()
                .sorted()
                .toList();
    }

    private static String digest(String text) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
