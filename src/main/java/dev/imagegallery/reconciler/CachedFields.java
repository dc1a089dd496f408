package dev.imagegallery.reconciler;

import dev.imagegallery.api.Condition;
import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.api.ImageVersionSpec;
import dev.imagegallery.api.ImageVersionStatus;
import dev.imagegallery.api.ImageVersionStatus.RegionReplication;
import dev.imagegallery.api.ImageVersionStatus.Replica;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the operator's one cache of versions keeps of each ({@link VersionFeed}): the version whole (as
 * every kind of this API, read without its managedFields, see {@link dev.imagegallery.api.ApiResource}),
 * with the values that many versions repeat held once, shared; and which of its changes concern the
 * controllers that read it.
 */
public final class CachedFields {
    /**
     * Versions an informer lists per request when it starts: one list of 20,000 versions would be a response of
     * some 100 MB, held whole while it is read.
     */
    public static final long VERSIONS_PER_LIST = 500;

    private CachedFields() {}

    /**
     * The version controller's store, which every controller reads through the {@link VersionFeed}: versions
     * whole, with the values many versions repeat (names of namespaces, definitions, regions and stores,
     * reasons, messages, times) held once for all of them, and each change reported to the feed.
     */
    public static class CompactVersions extends TransformingItemStore<ImageVersion> {
        private VersionFeed feed;

        public CompactVersions() {
            super(CachedFields::shareRepeatedValues);
        }

        /** java-operator-sdk creates the store from its class: the controller names the feed before its informer starts. */
        public void reportTo(VersionFeed feed) {
            this.feed = feed;
        }

        @Override
        public ImageVersion put(String key, ImageVersion version) {
            ImageVersion older = super.put(key, version);
            feed.changed(older, get(key));
            return older;
        }

        @Override
        public ImageVersion remove(String key) {
            ImageVersion older = super.remove(key);
            if (older != null) {
                feed.changed(older, null);
            }
            return older;
        }
    }

    /**
     * Whether a change concerns a definition: a version added or removed, its spec, its deletion, its
     * size, or where its replicas are and whether they are complete; not its conditions, progress or details.
     */
    public static boolean changedForDefinitions(ImageVersion older, ImageVersion newer) {
        return older == null
                || newer == null
                || ParentChanges.specOrDeletion(newer, older)
                || !replicaFields(newer, true).equals(replicaFields(older, true));
    }

    /** Whether a change concerns store loads: a version added or removed, its spec, its size or where its replicas are. */
    public static boolean changedForStoreLoads(ImageVersion older, ImageVersion newer) {
        return older == null
                || newer == null
                || ParentChanges.specOrDeletion(newer, older)
                || !replicaFields(newer, false).equals(replicaFields(older, false));
    }

    /** {@code version} with each value that many versions repeat replaced by its one shared copy. */
    static ImageVersion shareRepeatedValues(ImageVersion version) {
        shareRepeatedIdentity(version);
        shareSpecValues(version.getSpec());
        ImageVersionStatus status = version.getStatus();
        if (status == null) {
            return version;
        }
        if (status.conditions != null) {
            status.conditions.forEach(CachedFields::shareConditionValues);
        }
        if (status.replicationStatus != null) {
            status.replicationStatus.regions = shared(status.replicationStatus.regions);
            if (status.replicationStatus.summary != null) {
                status.replicationStatus.summary.forEach(CachedFields::shareRegionValues);
            }
        }
        return version;
    }

    private static void shareConditionValues(Condition condition) {
        condition.type = shared(condition.type);
        condition.reason = shared(condition.reason);
        condition.message = shared(condition.message);
        condition.lastTransitionTime = shared(condition.lastTransitionTime);
    }

    private static void shareRegionValues(RegionReplication region) {
        region.region = shared(region.region);
        region.details = shared(region.details);
        if (region.replicas != null) {
            region.replicas.forEach(replica -> {
                replica.store = shared(replica.store);
                replica.zone = shared(replica.zone);
                replica.copiedFrom = shared(replica.copiedFrom);
            });
        }
    }

    /** The spec's values that other versions repeat: names, and a source several versions are made from. */
    private static void shareSpecValues(ImageVersionSpec spec) {
        spec.imageDefinitionName = shared(spec.imageDefinitionName);
        spec.version = shared(spec.version);
        spec.sourceRegion = shared(spec.sourceRegion);
        spec.source.url = shared(spec.source.url);
        spec.source.sha256 = shared(spec.source.sha256);
        spec.publishingProfile.targetRegions.forEach(target -> target.name = shared(target.name));
    }

    /**
     * The metadata many objects repeat (namespace, creation time, finalizers, labels), shared;
     * and for each empty collection of the metadata (an ObjectMeta starts with six), one that all share.
     */
    private static void shareRepeatedIdentity(ImageVersion object) {
        ObjectMeta metadata = object.getMetadata();
        metadata.setNamespace(shared(metadata.getNamespace()));
        metadata.setCreationTimestamp(shared(metadata.getCreationTimestamp()));
        metadata.setFinalizers(shared(metadata.getFinalizers()));
        metadata.setLabels(sharedOrEmpty(metadata.getLabels()));
        metadata.setAnnotations(orEmpty(metadata.getAnnotations()));
        metadata.setAdditionalProperties(orEmpty(metadata.getAdditionalProperties()));
        metadata.setManagedFields(orEmpty(metadata.getManagedFields()));
        metadata.setOwnerReferences(orEmpty(metadata.getOwnerReferences()));
    }

    private static Map<String, String> sharedOrEmpty(Map<String, String> labels) {
        if (labels == null || labels.isEmpty()) {
            return Map.of();
        }
        Map<String, String> kept = new LinkedHashMap<>();
        labels.forEach((key, value) -> kept.put(shared(key), shared(value)));
        return kept;
    }

    private static <K, V> Map<K, V> orEmpty(Map<K, V> values) {
        return values == null || values.isEmpty() ? Map.of() : values;
    }

    private static <T> List<T> orEmpty(List<T> values) {
        return values == null || values.isEmpty() ? List.of() : values;
    }

    /** The JVM's one copy of a value (its string table keeps it while anything refers to it). */
    private static String shared(String value) {
        return value == null ? null : value.intern();
    }

    private static List<String> shared(List<String> values) {
        return values == null ? null : values.stream().map(CachedFields::shared).toList();
    }

    /**
     * The size, then per region its state and replicas (index, store, zone; with their state and address if
     * {@code withStates}), comparable.
     */
    private static List<Object> replicaFields(ImageVersion version, boolean withStates) {
        var summary = Optional.ofNullable(version.getStatus())
                .map(s -> s.replicationStatus)
                .map(r -> r.summary);
        if (summary.isEmpty()) {
            return List.of();
        }
        Function<Replica, List<Object>> fields = withStates
                ? r -> Arrays.asList(r.index, r.store, r.zone, r.state, r.url)
                : r -> Arrays.asList(r.index, r.store, r.zone);
        return List.of(
                Optional.ofNullable(version.getStatus().sizeBytes),
                summary.get().stream()
                        .map(region -> Arrays.asList(
                                region.region,
                                withStates ? region.state : null,
                                region.replicas == null
                                        ? null
                                        : region.replicas.stream().map(fields).toList()))
                        .toList());
    }
}
