package dev.imagegallery.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The operator's own namespace, the only one it reads store Secrets in (image-gallery.namespace,
 * environment IMAGE_GALLERY_NAMESPACE). The chart sets it to the pod's namespace; outside a cluster
 * ({@code ./run}, the tests) it defaults to image-gallery-system.
 */
@ConfigMapping(prefix = "image-gallery")
public interface NamespaceConfig {
    @WithDefault("image-gallery-system")
    String namespace();
}
