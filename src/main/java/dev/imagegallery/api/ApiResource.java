package dev.imagegallery.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.CustomResource;

/**
 * A kind of this API as the operator reads it: without its managedFields. Nothing here reads them,
 * and an apply request must not carry them; for a version with its status they are a tree of some
 * hundred maps, which every informer would otherwise build for each object it lists or watches.
 */
public abstract class ApiResource<S, T> extends CustomResource<S, T> {
    @Override
    @JsonIgnoreProperties("managedFields")
    public void setMetadata(ObjectMeta metadata) {
        super.setMetadata(metadata);
    }
}
