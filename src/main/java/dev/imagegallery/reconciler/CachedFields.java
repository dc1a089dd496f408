package dev.imagegallery.reconciler;

import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.api.ImageVersionSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;

/**
 * What the operator's informers keep of each object. Only the primary informer of a kind holds it whole;
 * other controllers watch a trimmed copy holding the fields they read, so that the heap grows by one
 * object per version, not one per informer.
 */
public final class CachedFields {
    private CachedFields() {}

    /** A version as a claimant of its number: who it is, when it was created, and which version of which definition. */
    public static ItemStore<ImageVersion> versionNumberClaims() {
        return new TransformingItemStore<>(CachedFields::numberClaim);
    }

    static ImageVersion numberClaim(ImageVersion version) {
        var trimmed = new ImageVersion();
        trimmed.setMetadata(identity(version));
        var spec = new ImageVersionSpec();
        spec.imageDefinitionName = version.getSpec().imageDefinitionName;
        spec.version = version.getSpec().version;
        trimmed.setSpec(spec);
        return trimmed;
    }

    /** The metadata a trimmed copy keeps: identity, generation, creation and deletion; no labels, annotations or managedFields. */
    private static ObjectMeta identity(HasMetadata object) {
        var source = object.getMetadata();
        var kept = new ObjectMeta();
        kept.setName(source.getName());
        kept.setNamespace(source.getNamespace());
        kept.setUid(source.getUid());
        kept.setResourceVersion(source.getResourceVersion());
        kept.setGeneration(source.getGeneration());
        kept.setCreationTimestamp(source.getCreationTimestamp());
        kept.setDeletionTimestamp(source.getDeletionTimestamp());
        return kept;
    }
}
