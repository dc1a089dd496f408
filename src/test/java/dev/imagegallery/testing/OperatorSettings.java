package dev.imagegallery.testing;

import dev.imagegallery.config.GalleryLimits;
import dev.imagegallery.config.ReplicationConfig;
import dev.imagegallery.config.SharingConfig;
import dev.imagegallery.config.SourcesConfig;
import io.smallrye.config.SmallRyeConfig;
import org.eclipse.microprofile.config.ConfigProvider;

/** The operator's own settings, which a {@link StandaloneOperator} gives its controllers. */
public record OperatorSettings(GalleryLimits limits, ReplicationConfig replication, SharingConfig sharing, SourcesConfig sources) {
  public static OperatorSettings of(SmallRyeConfig config) {
    return new OperatorSettings(config.getConfigMapping(GalleryLimits.class), config.getConfigMapping(ReplicationConfig.class),
        config.getConfigMapping(SharingConfig.class), config.getConfigMapping(SourcesConfig.class));
  }

  /** The settings of the Quarkus application under test, its test profile's overrides included; only inside a @QuarkusTest. */
  public static OperatorSettings ofTheApplication() {
    return of(ConfigProvider.getConfig().unwrap(SmallRyeConfig.class));
  }
}
