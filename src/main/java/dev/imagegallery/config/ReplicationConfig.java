package dev.imagegallery.config;

import dev.imagegallery.replication.ReplicationSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How replication copies run; set as image-gallery.replication.* properties (Helm: values.replication). */
@ConfigMapping(prefix = "image-gallery.replication")
public interface ReplicationConfig {
    /** Copies running at once, over all regions. */
    @WithDefault("4")
    int maxConcurrentCopies();

    /** Copies running at once into one region. */
    @WithDefault("2")
    int maxConcurrentCopiesPerRegion();

    /** Copies running at once for one namespace: below the total, so that one tenant never holds every slot. */
    @WithDefault("3")
    int maxConcurrentCopiesPerNamespace();

    /** Attempts per replica before its region is Failed (1 means no retry). */
    @WithDefault("5")
    int maxAttempts();

    /** Wait before the first retry of a replica; each further retry waits twice as long. */
    @WithDefault("10s")
    Duration initialBackoff();

    /** Longest wait between two attempts. */
    @WithDefault("5m")
    Duration maxBackoff();

    /** Least time between two progress updates of one version's status while it copies, to keep status writes few. */
    @WithDefault("3s")
    Duration statusInterval();

    /** Timeout for connecting to a source or store. */
    @WithDefault("10s")
    Duration connectTimeout();

    /** Timeout for a source's answer to a request: a HEAD, or a GET up to its headers. */
    @WithDefault("30s")
    Duration requestTimeout();

    /** Longest a copy waits for the next bytes of its source, and the window its throughput is judged over. */
    @WithDefault("60s")
    Duration readTimeout();

    /** The slowest a copy may read its source, in bytes per second over a read-timeout window (0: no floor). */
    @WithDefault("65536")
    long minBytesPerSecond();

    /** Sources checked at once (policy and size), at most one per namespace. */
    @WithDefault("4")
    int sourceCheckThreads();

    default ReplicationSettings settings() {
        return new ReplicationSettings(
                maxConcurrentCopies(),
                maxConcurrentCopiesPerRegion(),
                maxConcurrentCopiesPerNamespace(),
                maxAttempts(),
                initialBackoff(),
                maxBackoff());
    }
}
