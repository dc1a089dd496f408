package dev.imagegallery.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.CustomResource;
import java.lang.reflect.Field;
import java.util.List;

/**
 * A kind of this API as the operator reads it: without its managedFields, and with its type's names
 * held once. Nothing here reads managedFields, and an apply request must not carry them; for a
 * version with its status they are a tree of some hundred maps, which every informer would otherwise
 * build for each object it lists or watches.
 */
public abstract class ApiResource<S, T> extends CustomResource<S, T> {
    /**
     * The names fabric8 derives from the class for every object anew (some 300 bytes each): the operator
     * holds several copies of each version, one per informer, so that each object keeps the JVM's one
     * copy of them instead.
     */
    private static final List<Field> TYPE_NAMES = List.of(
            typeName("apiVersion"), typeName("singular"), typeName("plural"), typeName("crdName"), typeName("scope"));

    protected ApiResource() {
        try {
            for (Field field : TYPE_NAMES) {
                String value = (String) field.get(this);
                if (value != null) {
                    field.set(this, value.intern());
                }
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("fabric8's CustomResource is not as expected", e);
        }
    }

    private static Field typeName(String name) {
        try {
            Field field = CustomResource.class.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    @JsonIgnoreProperties("managedFields")
    public void setMetadata(ObjectMeta metadata) {
        super.setMetadata(metadata);
    }
}
