package dev.imagegallery.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How often parents' counts are written; set as image-gallery.status.* properties. */
@ConfigMapping(prefix = "image-gallery.status")
public interface StatusConfig {
    /**
     * Least time between two status writes of a Gallery, ImageDefinition or Region whose only change is
     * a count its versions move (versions held, store loads): a stream of new versions then costs each
     * parent a write per interval, not one per version. Any other change is written at once.
     */
    @WithDefault("30s")
    Duration countInterval();
}
