package dev.imagegallery.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Quotas and bounds, per namespace (the model's "subscription"); set as image-gallery.* properties. */
@ConfigMapping(prefix = "image-gallery")
public interface GalleryLimits {
    /** Galleries per namespace. */
    @WithDefault("100")
    int galleriesPerNamespace();

    /** Image definitions per namespace. */
    @WithDefault("1000")
    int imageDefinitionsPerNamespace();

    /** Image versions per namespace targeting one region. */
    @WithDefault("10000")
    int imageVersionsPerNamespacePerRegion();

    /**
     * Bytes of replicas one namespace may hold in one region, as a Kubernetes quantity (such as 10Ti);
     * unlimited when unset. Counted from declared or probed sizes times replica counts.
     */
    Optional<String> bytesPerNamespacePerRegion();

    /** Highest replica count a version may ask for in one region (the CRD allows up to 100). */
    @WithDefault("100")
    int maxReplicasPerRegion();
}
