package dev.imagegallery.sharing;

import dev.imagegallery.api.SharedStatus.EffectiveSharing;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import jakarta.enterprise.context.Dependent;
import java.util.Map;
import java.util.function.Function;

/**
 * A shared object's Role and RoleBinding as java-operator-sdk dependent resources, in the workflow
 * of the Gallery, ImageDefinition and ImageVersion reconcilers. The reconciler decides the
 * {@link ShareGrant} (from its caches of definitions and versions) and invokes the workflow with it,
 * so the grant is computed once for the RBAC and for status.sharing. JOSDK then applies each object
 * only when it differs, owns it by the shared object (Kubernetes' garbage collector removes it
 * with its owner), and deletes both while {@link Shared} does not hold.
 */
public final class ShareDependents {
    /** The Role's name in the workflow: the RoleBinding depends on it, and goes first when both go. */
    public static final String ROLE = "share-role";

    private static final String SHARES = ShareGrant.SHARE_OF_LABEL;

    private ShareDependents() {}

    /** Brings the share in step with the grant; returns the sharing in effect, for the status. */
    public static EffectiveSharing apply(Context<?> context, ShareGrant grant) {
        var workflow = context.managedWorkflowAndDependentResourceContext();
        workflow.put(ShareGrant.class, grant);
        workflow.reconcileManagedWorkflow();
        return grant.effective();
    }

    private static ShareGrant grant(Context<?> context) {
        return context.managedWorkflowAndDependentResourceContext().getMandatory(ShareGrant.class, ShareGrant.class);
    }

    /** Reconcile precondition: the object is shared, with subjects the {@link SubjectPolicy} allows. */
    public static class Shared implements Condition<HasMetadata, HasMetadata> {
        @Override
        public boolean isMet(
                DependentResource<HasMetadata, HasMetadata> share, HasMetadata owner, Context<HasMetadata> context) {
            return grant(context).shared();
        }
    }

    /** Applies its kind's object of the grant. */
    abstract static class Part<R extends HasMetadata> extends CRUDKubernetesDependentResource<R, HasMetadata> {
        /** Which object of the grant each dependent writes. */
        private static final Map<Class<?>, Function<ShareGrant, HasMetadata>> OF_GRANT =
                Map.of(Role.class, ShareGrant::role, RoleBinding.class, ShareGrant::binding);

        @Override
        protected R desired(HasMetadata owner, Context<HasMetadata> context) {
            return resourceType().cast(OF_GRANT.get(resourceType()).apply(grant(context)));
        }
    }

    // One class per RBAC kind serves all three reconcilers. Quarkus makes each a bean: the dependent scope gives every
    // reconciler an instance (and an informer) of its own, where the default application scope would share one.
    // Only the shares are watched, not every Role in the cluster. Creating applies over an existing object:
    // shares written before they carried the label are not in the cache, and are taken over instead of refused.
    @Dependent
    @KubernetesDependent(createResourceOnlyIfNotExistingWithSSA = false, informer = @Informer(labelSelector = SHARES))
    public static class ShareRole extends Part<Role> {}

    @Dependent
    @KubernetesDependent(createResourceOnlyIfNotExistingWithSSA = false, informer = @Informer(labelSelector = SHARES))
    public static class ShareRoleBinding extends Part<RoleBinding> {}
}
