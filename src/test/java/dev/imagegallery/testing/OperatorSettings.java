package dev.imagegallery.testing;

import dev.imagegallery.config.GalleryLimits;
import dev.imagegallery.config.NamespaceConfig;
import dev.imagegallery.config.ReplicationConfig;
import dev.imagegallery.config.SharingConfig;
import dev.imagegallery.config.SoftDeleteConfig;
import dev.imagegallery.config.SourcesConfig;
import dev.imagegallery.config.StatusConfig;
import dev.imagegallery.config.StoreAuditConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;

/**
 * The operator's own settings, which a {@link StandaloneOperator} gives its controllers: what a
 * Quarkus test profile's overrides did for the application, in code.
 */
public record OperatorSettings(
        GalleryLimits limits,
        ReplicationConfig replication,
        SharingConfig sharing,
        SourcesConfig sources,
        StatusConfig status,
        StoreAuditConfig storeAudit,
        SoftDeleteConfig softDelete,
        String namespace) {
    public static OperatorSettings of(SmallRyeConfig config) {
        return new OperatorSettings(
                config.getConfigMapping(GalleryLimits.class),
                config.getConfigMapping(ReplicationConfig.class),
                config.getConfigMapping(SharingConfig.class),
                config.getConfigMapping(SourcesConfig.class),
                config.getConfigMapping(StatusConfig.class),
                config.getConfigMapping(StoreAuditConfig.class),
                config.getConfigMapping(SoftDeleteConfig.class),
                config.getConfigMapping(NamespaceConfig.class).namespace());
    }

    /** The settings the application has in its test profile: application.properties with its %test values, and the test sources. */
    public static OperatorSettings forTests() {
        return forTests(Map.of());
    }

    /** The same, with these image-gallery.* properties overriding them. */
    public static OperatorSettings forTests(Map<String, String> overrides) {
        return of(mapped(new SmallRyeConfigBuilder()
                .withProfile("test")
                .withSources(applicationProperties())
                .withSources(new PropertiesConfigSource(TestSources.config(), "test-sources", 300))
                .withSources(new PropertiesConfigSource(overrides, "test-overrides", 400))));
    }

    /** The mappings, with durations read as the operator reads them ("10s", not only ISO-8601). */
    static SmallRyeConfig mapped(SmallRyeConfigBuilder builder) {
        return builder.withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(GalleryLimits.class)
                .withMapping(ReplicationConfig.class)
                .withMapping(SharingConfig.class)
                .withMapping(SourcesConfig.class)
                .withMapping(StatusConfig.class)
                .withMapping(StoreAuditConfig.class)
                .withMapping(SoftDeleteConfig.class)
                .withMapping(NamespaceConfig.class)
                .build();
    }

    private static PropertiesConfigSource applicationProperties() {
        try {
            return new PropertiesConfigSource(
                    OperatorSettings.class.getClassLoader().getResource("application.properties"), 250);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
