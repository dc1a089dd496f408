package dev.imagegallery.testing;

import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * A reconcile that fails on every attempt, for what failures leave behind (metrics, log lines):
 * the example Gallery, shared, whose RoleBinding name is already taken by a binding to another role.
 * A RoleBinding's roleRef cannot change, so the API server refuses the operator's apply each time.
 */
public final class FailingReconcile {
    public static final String GALLERY = "contoso.images";

    private FailingReconcile() {}

    /** Creates the taken binding and the Gallery in the namespace; the gallery controller then fails and retries. */
    public static void ofAGallery(KubernetesClient client, String namespace) {
        client.rbac()
                .roleBindings()
                .inNamespace(namespace)
                .resource(new RoleBindingBuilder()
                        .withNewMetadata()
                        .withName("imagegallery-share-galleries-" + GALLERY)
                        .withNamespace(namespace)
                        .endMetadata()
                        .withNewRoleRef()
                        .withApiGroup("rbac.authorization.k8s.io")
                        .withKind("ClusterRole")
                        .withName("view")
                        .endRoleRef()
                        .addNewSubject()
                        .withKind("Group")
                        .withApiGroup("rbac.authorization.k8s.io")
                        .withName("someone-else")
                        .endSubject()
                        .build())
                .create();
        client.resource(Examples.get("Gallery", GALLERY, namespace)).create();
    }
}
