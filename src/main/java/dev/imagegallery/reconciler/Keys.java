package dev.imagegallery.reconciler;

import dev.imagegallery.validation.FirstClaim.Claimant;
import io.fabric8.kubernetes.api.model.HasMetadata;

/** How objects are identified for lookups: index keys (parents are named within the namespace) and claimants. */
public final class Keys {
    private Keys() {}

    public static String of(String namespace, String name) {
        return namespace + "/" + name;
    }

    public static String of(HasMetadata object) {
        return of(object.getMetadata().getNamespace(), object.getMetadata().getName());
    }

    /** The object as a claimant of a name, identifier or quota slot: first created, first served. */
    public static Claimant claimant(HasMetadata object) {
        return new Claimant(object.getMetadata().getName(), object.getMetadata().getCreationTimestamp());
    }
}
