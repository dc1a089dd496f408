package dev.imagegallery.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

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

  /** Highest replica count a version may ask for in one region (the CRD allows up to 100). */
  @WithDefault("100")
  int maxReplicasPerRegion();
}
