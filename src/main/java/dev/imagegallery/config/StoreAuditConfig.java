package dev.imagegallery.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** How often the stores are audited; set as image-gallery.store-audit.* properties (chart: storeAudit.*). */
@ConfigMapping(prefix = "image-gallery.store-audit")
public interface StoreAuditConfig {
    /**
     * Least time between two audits of one store. An audit lists the store (a request per thousand
     * objects in S3, a walk of the directory in a file store) and compares it with the replicas on
     * record; one store is audited at a time. 0 turns the audit off.
     */
    @WithDefault("1h")
    Duration interval();

    /**
     * How long an orphan the operator wrote (a replica's path, with its marker) must stay unreferenced
     * before the audit deletes it; unset (the default), the audit deletes nothing. Objects without the
     * operator's marker, or at paths no replica has, are never deleted.
     */
    Optional<Duration> deleteOrphansAfter();
}
