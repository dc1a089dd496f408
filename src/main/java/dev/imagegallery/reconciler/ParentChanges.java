package dev.imagegallery.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Objects;

/**
 * Which updates of a parent (a Gallery, an ImageDefinition, a Region) concern its children: they read
 * its spec and whether it exists, never its status, so a parent's status write (its counts, a new
 * latest, a store's usage) wakes none of them.
 */
public final class ParentChanges {
    private ParentChanges() {}

    /** Whether an update changed the parent's spec (its generation) or started its deletion. */
    public static boolean specOrDeletion(HasMetadata newer, HasMetadata older) {
        return !Objects.equals(
                        newer.getMetadata().getGeneration(), older.getMetadata().getGeneration())
                || !Objects.equals(
                        newer.getMetadata().getDeletionTimestamp(),
                        older.getMetadata().getDeletionTimestamp());
    }
}
