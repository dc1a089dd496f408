package dev.imagegallery.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Soft delete of versions (a Gallery's spec.softDelete); set as image-gallery.soft-delete.* properties. */
@ConfigMapping(prefix = "image-gallery.soft-delete")
public interface SoftDeleteConfig {
    /**
     * What one of a gallery's {@code softDelete.retentionDays} lasts: 24h. Shorter only in tests and
     * drills, to see soft-deleted versions expire in seconds.
     */
    @WithDefault("24h")
    Duration day();
}
