package dev.imagegallery.reconciler;

import dev.imagegallery.api.Condition;
import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.api.ImageVersionSpec;
import dev.imagegallery.api.ImageVersionSpec.PublishingProfile;
import dev.imagegallery.api.ImageVersionStatus;
import dev.imagegallery.api.ImageVersionStatus.RegionReplication;
import dev.imagegallery.api.ImageVersionStatus.Replica;
import dev.imagegallery.api.ImageVersionStatus.ReplicationStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the operator's informers keep of each object. Only the primary informer of a kind holds it whole
 * (less its managedFields, see {@link dev.imagegallery.api.ApiResource}); other controllers watch a trimmed copy with the fields
 * they read, so that the heap grows by about one object per version, not one per informer. Values that many
 * versions repeat are held once, shared.
 */
public final class CachedFields {
    /**
     * Versions an informer lists per request when it starts: one list of 20,000 versions would be a response of
     * some 100 MB, held whole while it is read, in each informer at once.
     */
    public static final long VERSIONS_PER_LIST = 500;

    private CachedFields() {}

    /**
     * The version controller's own store: versions whole (as every kind of this API, read without their
     * managedFields), with the values many versions repeat (names of namespaces, definitions, regions and stores, reasons, messages, times) held
     * once for all of them instead of once per version.
     */
    public static class CompactVersions extends TransformingItemStore<ImageVersion> {
        public CompactVersions() {
            super(CachedFields::shareRepeatedValues);
        }
    }

    /** Versions as their names and numbers: which version of which definition, created when, being deleted or not. */
    public static ItemStore<ImageVersion> versionIdentities() {
        return new TransformingItemStore<>(version -> trimmed(version, identitySpec(version), null));
    }

    /**
     * Versions as a definition reads them: the whole spec, the size, and each region's replicas with where
     * they are and whether they are complete; none of the conditions, progress or details.
     */
    public static ItemStore<ImageVersion> versionsForDefinitions() {
        return new TransformingItemStore<>(CachedFields::forDefinitions);
    }

    /** Whether an update changed what {@link #versionsForDefinitions} keeps. */
    public static boolean changedForDefinitions(ImageVersion newer, ImageVersion older) {
        return !Objects.equals(
                        newer.getMetadata().getGeneration(), older.getMetadata().getGeneration())
                || !Objects.equals(
                        newer.getMetadata().getDeletionTimestamp(),
                        older.getMetadata().getDeletionTimestamp())
                || !replicaFields(forDefinitions(newer)).equals(replicaFields(older));
    }

    /** Versions as store loads count them: the target regions, the size, and where each replica is placed. */
    public static ItemStore<ImageVersion> versionsForStoreLoads() {
        return new TransformingItemStore<>(CachedFields::forStoreLoads);
    }

    /** Whether an update changed what {@link #versionsForStoreLoads} keeps. */
    public static boolean changedForStoreLoads(ImageVersion newer, ImageVersion older) {
        return !Objects.equals(
                        newer.getMetadata().getGeneration(), older.getMetadata().getGeneration())
                || !replicaFields(forStoreLoads(newer)).equals(replicaFields(older));
    }

    static ImageVersion forDefinitions(ImageVersion version) {
        return trimmed(version, shareSpecValues(version.getSpec()), replicas(version, true));
    }

    static ImageVersion forStoreLoads(ImageVersion version) {
        var spec = identitySpec(version);
        spec.publishingProfile = new PublishingProfile();
        spec.publishingProfile.targetRegions = version.getSpec().publishingProfile.targetRegions;
        spec.publishingProfile.targetRegions.forEach(target -> target.name = shared(target.name));
        return trimmed(version, spec, replicas(version, false));
    }

    private static ImageVersionSpec identitySpec(ImageVersion version) {
        var spec = new ImageVersionSpec();
        spec.imageDefinitionName = shared(version.getSpec().imageDefinitionName);
        spec.version = shared(version.getSpec().version);
        return spec;
    }

    private static ImageVersion trimmed(ImageVersion version, ImageVersionSpec spec, ImageVersionStatus status) {
        var trimmed = new ImageVersion();
        trimmed.setMetadata(identity(version));
        trimmed.setSpec(spec);
        trimmed.setStatus(status);
        shareRepeatedIdentity(trimmed);
        return trimmed;
    }

    /**
     * The metadata a trimmed copy keeps: identity, generation, creation, finalizers and deletion; no labels
     * or annotations.
     */
    private static ObjectMeta identity(HasMetadata object) {
        var source = object.getMetadata();
        var kept = new ObjectMeta();
        kept.setName(source.getName());
        kept.setNamespace(source.getNamespace());
        kept.setUid(source.getUid());
        kept.setResourceVersion(source.getResourceVersion());
        kept.setGeneration(source.getGeneration());
        kept.setCreationTimestamp(source.getCreationTimestamp());
        kept.setDeletionTimestamp(source.getDeletionTimestamp());
        kept.setFinalizers(source.getFinalizers());
        return kept;
    }

    /**
     * The version's size and where its replicas are, with their states and addresses if {@code withStates};
     * null when its status records none.
     */
    private static ImageVersionStatus replicas(ImageVersion version, boolean withStates) {
        var summary = Optional.ofNullable(version.getStatus())
                .map(s -> s.replicationStatus)
                .map(r -> r.summary);
        if (summary.isEmpty()) {
            return null;
        }
        var status = new ImageVersionStatus();
        status.sizeBytes = version.getStatus().sizeBytes;
        status.replicationStatus = new ReplicationStatus();
        status.replicationStatus.summary = summary.get().stream()
                .map(region -> {
                    var kept = new RegionReplication();
                    kept.region = shared(region.region);
                    kept.state = withStates ? region.state : null;
                    kept.replicas = region.replicas == null
                            ? null
                            : region.replicas.stream()
                                    .map(withStates ? CachedFields::whereAndWhether : CachedFields::where)
                                    .toList();
                    return kept;
                })
                .toList();
        return status;
    }

    private static Replica where(Replica replica) {
        var kept = new Replica();
        kept.index = replica.index;
        kept.store = shared(replica.store);
        kept.zone = shared(replica.zone);
        return kept;
    }

    private static Replica whereAndWhether(Replica replica) {
        var kept = where(replica);
        kept.state = replica.state;
        kept.url = shared(replica.url);
        return kept;
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
                replica.url = shared(replica.url);
            });
        }
    }

    /** The spec's values, as other versions and this version's other cached copies hold them. */
    private static ImageVersionSpec shareSpecValues(ImageVersionSpec spec) {
        spec.imageDefinitionName = shared(spec.imageDefinitionName);
        spec.version = shared(spec.version);
        spec.sourceRegion = shared(spec.sourceRegion);
        spec.source.url = shared(spec.source.url);
        spec.source.sha256 = shared(spec.source.sha256);
        spec.publishingProfile.targetRegions.forEach(target -> target.name = shared(target.name));
        return spec;
    }

    /**
     * The metadata many objects repeat (namespace, creation time, finalizers, labels), shared;
     * and for each empty collection of the metadata (an ObjectMeta starts with six), one that all share.
     */
    private static void shareRepeatedIdentity(ImageVersion object) {
        ObjectMeta metadata = object.getMetadata();
        // Name and uid are the version's own, but each informer reads its own copy of them.
        metadata.setName(shared(metadata.getName()));
        metadata.setUid(shared(metadata.getUid()));
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

    /** The fields of a trimmed status, comparable: the size, then per region its state and replicas. */
    private static List<Object> replicaFields(ImageVersion trimmed) {
        var status = trimmed.getStatus();
        if (status == null) {
            return List.of();
        }
        Function<Replica, List<Object>> fields = r -> Arrays.asList(r.index, r.store, r.zone, r.state, r.url);
        return List.of(
                Optional.ofNullable(status.sizeBytes),
                status.replicationStatus.summary.stream()
                        .map(region -> Arrays.asList(
                                region.region,
                                region.state,
                                region.replicas == null
                                        ? null
                                        : region.replicas.stream().map(fields).toList()))
                        .toList());
    }
}
