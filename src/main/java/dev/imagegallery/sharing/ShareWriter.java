package dev.imagegallery.sharing;

import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Objects;

/**
 * Keeps a shared object's Role and RoleBinding exactly in step with its {@link ShareGrant}: written
 * only when they differ, removed when the object is no longer shared or goes away.
 */
public final class ShareWriter {
  private ShareWriter() {}

  public static void apply(KubernetesClient client, ShareGrant grant) {
    if (!grant.shared()) {
      remove(client, grant);
      return;
    }
    Role role = grant.role();
    Role existingRole = client.rbac().roles().inNamespace(role.getMetadata().getNamespace()).withName(role.getMetadata().getName()).get();
    if (existingRole == null || !Objects.equals(existingRole.getRules(), role.getRules())) {
      client.resource(role).forceConflicts().serverSideApply();
    }
    RoleBinding binding = grant.binding();
    RoleBinding existingBinding = client.rbac().roleBindings().inNamespace(binding.getMetadata().getNamespace())
        .withName(binding.getMetadata().getName()).get();
    if (existingBinding == null || !Objects.equals(existingBinding.getSubjects(), binding.getSubjects())
        || !Objects.equals(existingBinding.getRoleRef(), binding.getRoleRef())) {
      client.resource(binding).forceConflicts().serverSideApply();
    }
  }

  /** Removes the share; garbage collection would too (they are owned), but not every cluster runs it promptly. */
  public static void remove(KubernetesClient client, ShareGrant grant) {
    String namespace = grant.owner().getMetadata().getNamespace();
    var binding = client.rbac().roleBindings().inNamespace(namespace).withName(grant.roleName());
    if (binding.get() != null) {
      binding.delete();
    }
    var role = client.rbac().roles().inNamespace(namespace).withName(grant.roleName());
    if (role.get() != null) {
      role.delete();
    }
  }
}
