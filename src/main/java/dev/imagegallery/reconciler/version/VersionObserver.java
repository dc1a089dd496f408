package dev.imagegallery.reconciler.version;

import dev.imagegallery.api.GalleryStatus.SoftDeletedVersion;
import dev.imagegallery.api.ImageDefinition;
import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.api.Region;
import dev.imagegallery.api.Retention;
import dev.imagegallery.reconciler.Keys;
import dev.imagegallery.reconciler.ParentChanges;
import dev.imagegallery.reconciler.VersionFeed;
import dev.imagegallery.replication.VersionKey;
import dev.imagegallery.retention.RetentionWindow;
import dev.imagegallery.validation.SemanticVersion;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What the version controller watches (definitions, Regions, and through the {@link VersionFeed} the
 * versions of the same number) and the observe step that reads them once into an {@link ObservedVersion}.
 */
final class VersionObserver {
    private final VersionFeed feed;
    private final SoftDeletes softDeletes;
    private InformerEventSource<Region, ImageVersion> regions;

    VersionObserver(VersionFeed feed, SoftDeletes softDeletes) {
        this.feed = feed;
        this.softDeletes = softDeletes;
    }

    /**
     * The event sources a version's reconcile depends on.
     * {@code onNewVersion} hears of each version without a status as soon as it is seen, before java-operator-sdk
     * has added its finalizer: its first reconcile then finds the source already checked.
     */
    List<EventSource<?, ImageVersion>> eventSources(
            EventSourceContext<ImageVersion> context, Consumer<ImageVersion> onNewVersion) {
        var cache = context.getPrimaryCache();
        var definitions = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(ImageDefinition.class, ImageVersion.class)
                        .withOnUpdateFilter(ParentChanges::specOrDeletion)
                        .withSecondaryToPrimaryMapper(d -> ids(feed.ofDefinition(
                                d.getMetadata().getNamespace(), d.getMetadata().getName())))
                        .withPrimaryToSecondaryMapper((ImageVersion v) -> Set.of(new ResourceID(
                                v.getSpec().imageDefinitionName, v.getMetadata().getNamespace())))
                        .withNamespacesInheritedFromController()
                        .build(),
                context);
        regions = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Region.class, ImageVersion.class)
                        .withOnUpdateFilter(ParentChanges::specOrDeletion)
                        // A Region's spec changes seldom: a pass over the versions then costs less than an index kept.
                        .withSecondaryToPrimaryMapper(r -> cache.list()
                                .filter(v -> v.getSpec().publishingProfile.targetRegions.stream()
                                        .anyMatch(t ->
                                                t.name.equals(r.getMetadata().getName())))
                                .map(ResourceID::fromResource)
                                .collect(Collectors.toSet()))
                        // Given, so that java-operator-sdk keeps no index of the regions of every version.
                        .withPrimaryToSecondaryMapper(
                                (ImageVersion v) -> v.getSpec().publishingProfile.targetRegions.stream()
                                        .map(t -> new ResourceID(t.name))
                                        .collect(Collectors.toSet()))
                        .withWatchAllNamespaces()
                        .build(),
                context);
        feed.listen((older, newer) -> {
            if (older == null && newer.getStatus() == null) {
                onNewVersion.accept(newer);
            }
        });
        // A version number is claimed by the version created first: when a version is created or gone, the
        // others with its number may win or lose it. Both fields are immutable, so no update concerns them.
        var numberClaims = feed.eventSource(
                "version-number-claims",
                context,
                VersionFeed::addedOrRemoved,
                claimant -> sameNumber(claimant)
                        .map(ResourceID::fromResource)
                        .filter(id -> !id.equals(ResourceID.fromResource(claimant))));
        // Under a retention policy, a version created, deleted or promoted moves the window of its definition's others.
        var retentionWindows = feed.eventSource(
                "retention-windows",
                context,
                VersionObserver::movesRetentionWindow,
                changed -> definitions
                        .get(new ResourceID(
                                changed.getSpec().imageDefinitionName,
                                changed.getMetadata().getNamespace()))
                        .filter(d -> d.getSpec().retention != null)
                        .stream()
                        .flatMap(d ->
                                ids(feed.ofDefinition(
                                                d.getMetadata().getNamespace(),
                                                d.getMetadata().getName()))
                                        .stream())
                        .filter(id -> !id.equals(ResourceID.fromResource(changed))));
        return List.of(definitions, regions, numberClaims, retentionWindows);
    }

    /** Whether a change counts in a retention window: a version added or gone, its deletion begun, its promotion. */
    private static boolean movesRetentionWindow(ImageVersion older, ImageVersion newer) {
        return VersionFeed.addedOrRemoved(older, newer)
                || older.isMarkedForDeletion() != newer.isMarkedForDeletion()
                || !Objects.equals(
                        older.getSpec().publishingProfile.excludeFromLatest,
                        newer.getSpec().publishingProfile.excludeFromLatest);
    }

    /** The versions of the version's definition with its number, itself included while it is cached. */
    private Stream<ImageVersion> sameNumber(ImageVersion version) {
        return feed.ofDefinition(version.getMetadata().getNamespace(), version.getSpec().imageDefinitionName).stream()
                .filter(v -> v.getSpec().version.equals(version.getSpec().version));
    }

    private static Set<ResourceID> ids(List<ImageVersion> versions) {
        return versions.stream().map(ResourceID::fromResource).collect(Collectors.toSet());
    }

    /** Everything the rules, the placement and the status of one reconcile need, read once. */
    ObservedVersion observe(ImageVersion version, Context<ImageVersion> context) {
        String namespace = version.getMetadata().getNamespace();
        // Read from the feed whose changes wake the claimants, so that a version that is gone there is gone here.
        var sameNumber = sameNumber(version).map(Keys::claimant).toList();
        Map<String, Collection<ImageVersion>> sameNamespaceByTarget =
                version.getSpec().publishingProfile.targetRegions.stream()
                        .map(t -> t.name)
                        .distinct()
                        .collect(Collectors.toMap(region -> region, region -> feed.targeting(namespace, region)));
        Optional<ImageDefinition> definition = context.getSecondaryResource(ImageDefinition.class);
        Optional<VersionKey> key = definition.map(d -> key(version, d));
        ReplicaRecord record = ReplicaRecord.of(version.getStatus());
        // Replicas of its own, copying or copied, outrank what a soft-deleted version of its number left.
        Optional<SoftDeletedVersion> restoring = record.placed().isEmpty()
                ? key.flatMap(k -> softDeletes.restorable(k, version.getSpec()))
                : Optional.empty();
        return new ObservedVersion(
                version,
                key,
                record,
                catalogue(),
                sameNumber,
                sameNamespaceByTarget,
                definition.flatMap(d -> retention(version, d)),
                restoring);
    }

    /** Where the version's replicas live: from its spec and its definition's gallery, never from its status. */
    Optional<VersionKey> key(ImageVersion version, Context<ImageVersion> context) {
        return context.getSecondaryResource(ImageDefinition.class).map(d -> key(version, d));
    }

    private static VersionKey key(ImageVersion version, ImageDefinition definition) {
        return new VersionKey(
                version.getMetadata().getNamespace(),
                definition.getSpec().galleryName,
                definition.getMetadata().getName(),
                version.getSpec().version);
    }

    /** Where the definition's retention policy keeps the version, counting its versions not being deleted. */
    private Optional<RetentionWindow.Kept> retention(ImageVersion version, ImageDefinition definition) {
        Retention policy = definition.getSpec().retention;
        if (policy == null) {
            return Optional.empty();
        }
        var spec = version.getSpec();
        List<RetentionWindow.Member> versions =
                feed
                        .ofDefinition(
                                version.getMetadata().getNamespace(),
                                definition.getMetadata().getName())
                        .stream()
                        .filter(v -> v.getMetadata().getDeletionTimestamp() == null)
                        .map(VersionObserver::member)
                        .toList();
        return Optional.of(RetentionWindow.of(
                policy,
                definition.getMetadata().getName(),
                versions,
                new RetentionWindow.Version(
                        member(version),
                        spec.publishingProfile.targetRegions.stream()
                                .map(t -> t.name)
                                .toList(),
                        spec.sourceRegion,
                        spec.safetyProfile == null
                                || !Boolean.FALSE.equals(spec.safetyProfile.allowDeletionOfReplicatedLocations))));
    }

    private static RetentionWindow.Member member(ImageVersion version) {
        return new RetentionWindow.Member(
                SemanticVersion.parse(version.getSpec().version),
                Boolean.TRUE.equals(version.getSpec().publishingProfile.excludeFromLatest));
    }

    RegionCatalogue catalogue() {
        return RegionCatalogue.of(regions.list().toList());
    }
}
