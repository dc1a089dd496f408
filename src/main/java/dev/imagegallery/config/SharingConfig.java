package dev.imagegallery.config;

import dev.imagegallery.sharing.SubjectPolicy;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Whom spec.sharing may name; set as image-gallery.sharing.* properties (Helm: values.sharing). */
@ConfigMapping(prefix = "image-gallery.sharing")
public interface SharingConfig {
    /**
     * Whether shares may name {@code system:} users and groups, such as {@code system:authenticated}
     * (every signed-in identity) or {@code system:unauthenticated} (anyone): a tenant must not be able
     * to publish its images to the whole cluster unless the admin says so.
     */
    @WithDefault("false")
    boolean allowSystemSubjects();

    default SubjectPolicy subjectPolicy() {
        return new SubjectPolicy(allowSystemSubjects());
    }
}
