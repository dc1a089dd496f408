package dev.imagegallery.config;

import dev.imagegallery.replication.ReplicationMetrics;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;

/** Replication without metrics, for when no metrics binding is present. */
@Dependent
public class DefaultReplicationMetrics {
  @Produces
  @DefaultBean
  ReplicationMetrics none() {
    return ReplicationMetrics.NONE;
  }
}
