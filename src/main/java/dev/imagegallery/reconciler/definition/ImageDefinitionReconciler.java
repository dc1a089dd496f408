package dev.imagegallery.reconciler.definition;

import dev.imagegallery.api.Gallery;
import dev.imagegallery.api.ImageDefinition;
import dev.imagegallery.api.ImageDefinitionSpec.Identifier;
import dev.imagegallery.api.ImageDefinitionStatus;
import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.api.Region;
import dev.imagegallery.api.Store;
import dev.imagegallery.config.GalleryLimits;
import dev.imagegallery.config.SharingConfig;
import dev.imagegallery.config.StatusConfig;
import dev.imagegallery.events.EventRecorder;
import dev.imagegallery.reconciler.CachedFields;
import dev.imagegallery.reconciler.CountPacing;
import dev.imagegallery.reconciler.DeletionGuard;
import dev.imagegallery.reconciler.Keys;
import dev.imagegallery.reconciler.ParentChanges;
import dev.imagegallery.reconciler.StatusPublisher;
import dev.imagegallery.reconciler.VersionFeed;
import dev.imagegallery.reconciler.version.RegionCatalogue;
import dev.imagegallery.replication.DefinitionKey;
import dev.imagegallery.sharing.ShareDependents;
import dev.imagegallery.sharing.ShareDependents.ShareRole;
import dev.imagegallery.sharing.ShareDependents.ShareRoleBinding;
import dev.imagegallery.sharing.ShareDependents.Shared;
import dev.imagegallery.sharing.ShareGrant;
import dev.imagegallery.sharing.SubjectPolicy;
import dev.imagegallery.status.EndOfLifeCondition;
import dev.imagegallery.status.Outcome;
import dev.imagegallery.status.Reason;
import dev.imagegallery.validation.FirstClaim;
import dev.imagegallery.validation.LatestVersions;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Checks a definition against its gallery (exists, identifier unique, quota), publishes its latest
 * version from its versions' replication, flags end of life, and keeps it while it has versions.
 */
@Workflow(
        explicitInvocation = true,
        dependents = {
            @Dependent(name = ShareDependents.ROLE, type = ShareRole.class, reconcilePrecondition = Shared.class),
            @Dependent(type = ShareRoleBinding.class, dependsOn = ShareDependents.ROLE)
        })
@ControllerConfiguration(name = "imagedefinition")
public class ImageDefinitionReconciler implements Reconciler<ImageDefinition>, Cleaner<ImageDefinition> {
    private static final String BY_GALLERY = "by-gallery";

    /** A tag that could not be moved is tried again this often. */
    private static final Duration TAG_RECHECK = Duration.ofSeconds(30);

    private final GalleryLimits limits;
    private final SubjectPolicy subjects;
    private final EventRecorder events;
    private final LatestTags tags;
    private final CountPacing pacing;
    private InformerEventSource<Region, ImageDefinition> regions;
    private final VersionFeed feed;

    public ImageDefinitionReconciler(
            GalleryLimits limits,
            SharingConfig sharing,
            StatusConfig status,
            EventRecorder events,
            LatestTags tags,
            VersionFeed feed) {
        this.limits = limits;
        this.subjects = sharing.subjectPolicy();
        this.events = events;
        this.tags = tags;
        this.feed = feed;
        this.pacing = new CountPacing(status.countInterval());
    }

    @Override
    public List<EventSource<?, ImageDefinition>> prepareEventSources(EventSourceContext<ImageDefinition> context) {
        context.getPrimaryCache()
                .addIndexer(BY_GALLERY, d -> List.of(Keys.of(d.getMetadata().getNamespace(), d.getSpec().galleryName)));
        var galleries = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Gallery.class, ImageDefinition.class)
                        .withOnUpdateFilter(ParentChanges::specOrDeletion)
                        .withSecondaryToPrimaryMapper(
                                g -> context.getPrimaryCache().byIndex(BY_GALLERY, Keys.of(g)).stream()
                                        .map(ResourceID::fromResource)
                                        .collect(Collectors.toSet()))
                        .withPrimaryToSecondaryMapper((ImageDefinition d) -> Set.of(new ResourceID(
                                d.getSpec().galleryName, d.getMetadata().getNamespace())))
                        .withNamespacesInheritedFromController()
                        .build(),
                context);
        // A definition reads its versions from the feed; what concerns it there wakes it.
        var versions = feed.eventSource(
                "versions",
                context,
                CachedFields::changedForDefinitions,
                v -> Stream.of(new ResourceID(
                        v.getSpec().imageDefinitionName, v.getMetadata().getNamespace())));
        // The catalogue says which stores are registries; a Region's change moves no tag by itself.
        regions = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Region.class, ImageDefinition.class)
                        .withSecondaryToPrimaryMapper(r -> Set.of())
                        .withWatchAllNamespaces()
                        .build(),
                context);
        return List.of(galleries, versions, regions);
    }

    @Override
    public UpdateControl<ImageDefinition> reconcile(ImageDefinition definition, Context<ImageDefinition> context) {
        List<ImageVersion> versions = versionsOf(definition);
        // A version being deleted is latest nowhere any more: latest moves on before its replicas go.
        List<ImageVersion> staying = versions.stream()
                .filter(v -> v.getMetadata().getDeletionTimestamp() == null)
                .toList();
        LatestVersions.Result latest = LatestVersions.of(
                staying.stream().map(LatestReplicas::candidate).toList());
        Function<LatestReplicas.RegionStore, Optional<Store>> stores = catalogue();
        List<String> tagFailures = moveTags(definition, stores, staying, versions);
        var findings = new ImageDefinitionStatusCalculator.Findings(
                problem(definition, context),
                latest,
                LatestReplicas.entries(key(definition), latest.byRegion(), staying, stores),
                versions.size(),
                definition.getSpec().endOfLifeDate);
        ImageDefinitionStatus before = definition.getStatus();
        ImageDefinitionStatus next = ImageDefinitionStatusCalculator.calculate(
                before, definition.getMetadata().getGeneration(), findings, Instant.now());
        ShareGrant grant = ShareGrant.of(
                definition,
                "imagedefinitions",
                subjects.grantable(definition.getSpec().sharing),
                List.of(),
                versions.stream().map(v -> v.getMetadata().getName()).toList());
        next.sharing = ShareDependents.apply(context, grant);
        UpdateControl<ImageDefinition> control = pacing.publish(
                definition,
                next,
                CountPacing.counts("imageVersionCount"),
                () -> StatusPublisher.publish(context, events, definition, next));
        if (!tagFailures.isEmpty()) {
            return control.rescheduleAfter(TAG_RECHECK);
        }
        return EndOfLifeCondition.timeLeft(definition.getSpec().endOfLifeDate, Instant.now())
                .map(control::rescheduleAfter)
                .orElse(control);
    }

    /**
     * Moves the definition's latest tag in each registry store to the newest of {@code staying} it may
     * name there, looking at every store any of {@code versions} is in; a store that cannot be reached
     * gets a Warning, and the tag is tried again later.
     */
    private List<String> moveTags(
            ImageDefinition definition,
            Function<LatestReplicas.RegionStore, Optional<Store>> stores,
            Collection<ImageVersion> staying,
            Collection<ImageVersion> versions) {
        List<String> failures = tags.move(
                key(definition),
                stores,
                LatestReplicas.tagTargets(staying),
                LatestReplicas.storesHolding(versions).toList());
        failures.forEach(failure -> events.warning(definition, Reason.LatestTagNotMoved, failure));
        return failures;
    }

    /** The Region catalogue's stores, looked up by region and name, as this reconcile reads them. */
    private Function<LatestReplicas.RegionStore, Optional<Store>> catalogue() {
        RegionCatalogue catalogue = RegionCatalogue.of(regions.list().toList());
        return place -> catalogue.store(place.region(), place.store());
    }

    private List<ImageVersion> versionsOf(ImageDefinition definition) {
        return feed.ofDefinition(
                definition.getMetadata().getNamespace(),
                definition.getMetadata().getName());
    }

    private static DefinitionKey key(ImageDefinition definition) {
        return new DefinitionKey(
                definition.getMetadata().getNamespace(),
                definition.getSpec().galleryName,
                definition.getMetadata().getName());
    }

    private Optional<Outcome> problem(ImageDefinition definition, Context<ImageDefinition> context) {
        String namespace = definition.getMetadata().getNamespace();
        if (context.getSecondaryResource(Gallery.class).isEmpty()) {
            return Optional.of(Outcome.inProgress(
                    Reason.GalleryNotFound,
                    "gallery " + definition.getSpec().galleryName + " does not exist in namespace " + namespace
                            + "; the definition becomes ready when it is created"));
        }
        Identifier identifier = definition.getSpec().identifier;
        List<ImageDefinition> sameGallery =
                context.getPrimaryCache().byIndex(BY_GALLERY, Keys.of(namespace, definition.getSpec().galleryName));
        var holder = FirstClaim.heldBefore(
                Keys.claimant(definition),
                sameGallery.stream()
                        .filter(d -> sameIdentifier(d.getSpec().identifier, identifier))
                        .map(Keys::claimant)
                        .toList());
        if (holder.isPresent()) {
            return Optional.of(Outcome.stalled(
                    Reason.IdentifierConflict,
                    "publisher/offer/sku " + identifier.publisher + "/" + identifier.offer
                            + "/" + identifier.sku + " is already used in gallery " + definition.getSpec().galleryName
                            + " by ImageDefinition "
                            + holder.get().name()));
        }
        var all = context.getPrimaryCache().list(namespace).map(Keys::claimant).toList();
        if (FirstClaim.beyondLimit(Keys.claimant(definition), all, limits.imageDefinitionsPerNamespace())) {
            return Optional.of(Outcome.stalled(
                    Reason.QuotaExceeded,
                    "the namespace already has " + limits.imageDefinitionsPerNamespace()
                            + " image definitions, its quota (image-gallery.image-definitions-per-namespace)"));
        }
        return subjects.refusal(definition.getSpec().sharing).map(Outcome::stalled);
    }

    private static boolean sameIdentifier(Identifier a, Identifier b) {
        return a.publisher.equals(b.publisher) && a.offer.equals(b.offer) && a.sku.equals(b.sku);
    }

    /** Its share goes with it: the garbage collector follows the Role's and RoleBinding's owner references. */
    @Override
    public DeleteControl cleanup(ImageDefinition definition, Context<ImageDefinition> context) {
        pacing.forget(definition);
        List<ImageVersion> versions = versionsOf(definition);
        if (versions.isEmpty()) {
            // Its last version went while it was being deleted: no reconcile removed the tags that named it.
            moveTags(definition, catalogue(), List.of(), List.of());
            tags.forget(key(definition));
        }
        return DeletionGuard.whileChildrenRemain(
                context,
                events,
                definition,
                ImageDefinitionStatus::new,
                versions.stream(),
                "image definition before its versions");
    }
}
