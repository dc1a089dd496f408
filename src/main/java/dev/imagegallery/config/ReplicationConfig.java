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

  /** Timeout for connecting to a source or store, and for probing a source's size. */
  @WithDefault("10s")
  Duration connectTimeout();

  default ReplicationSettings settings() {
    // Copies report progress as often as the status may show it, no more.
    return new ReplicationSettings(maxConcurrentCopies(), maxConcurrentCopiesPerRegion(), maxAttempts(), initialBackoff(),
        maxBackoff(), statusInterval());
  }
}
