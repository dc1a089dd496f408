package dev.imagegallery.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.function.Consumer;

/** Changing an object as kubectl edit does. */
public final class Edit {
    private Edit() {}

    /**
     * Changes the latest version of the object and updates it: the operator writes status and its
     * finalizer meanwhile, so a conflict means read again and retry.
     */
    public static <T extends HasMetadata> T latest(KubernetesClient client, T object, Consumer<T> change) {
        for (int attempt = 1; ; attempt++) {
            T latest = client.resource(object).get();
            change.accept(latest);
            try {
                return client.resource(latest).update();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 5) {
                    throw e;
                }
            }
        }
    }
}
