package dev.imagegallery.config;

import io.smallrye.config.ConfigMapping;
import java.util.List;
import java.util.Optional;

/**
 * Which image sources the operator may read: the admin's setting, never the tenant's
 * (image-gallery.sources.*, environment IMAGE_GALLERY_SOURCES_*, chart values sources.*).
 */
@ConfigMapping(prefix = "image-gallery.sources")
public interface SourcesConfig {
    /**
     * URL prefixes a source may start with, such as file:///mnt/images/ or http://10.0.0.5:8080/builds/.
     * Without any, no file:// source is read and http(s) sources only at public addresses.
     */
    Optional<List<String>> allowedUrlPrefixes();

    /**
     * Address ranges (CIDR) refused to sources outside the prefixes, besides loopback, link-local,
     * private and unique-local ones: the cluster's service range belongs here when it is not private.
     */
    Optional<List<String>> deniedCidrs();
}
