package dev.imagegallery.reconciler.definition;

import dev.imagegallery.api.Gallery;
import dev.imagegallery.api.ImageDefinition;
import dev.imagegallery.api.ImageDefinitionSpec.Identifier;
import dev.imagegallery.api.ImageDefinitionStatus;
import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.api.ImageVersionSpec.TargetRegion;
import dev.imagegallery.api.ImageVersionStatus.RegionReplication;
import dev.imagegallery.api.ImageVersionStatus.RegionState;
import dev.imagegallery.config.GalleryLimits;
import dev.imagegallery.config.SharingConfig;
import dev.imagegallery.events.EventRecorder;
import dev.imagegallery.reconciler.DeletionGuard;
import dev.imagegallery.reconciler.Keys;
import dev.imagegallery.reconciler.StatusPublisher;
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
import dev.imagegallery.validation.SemanticVersion;
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
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

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

    private final GalleryLimits limits;
    private final SubjectPolicy subjects;
    private final EventRecorder events;

    public ImageDefinitionReconciler(GalleryLimits limits, SharingConfig sharing, EventRecorder events) {
        this.limits = limits;
        this.subjects = sharing.subjectPolicy();
        this.events = events;
    }

    @Override
    public List<EventSource<?, ImageDefinition>> prepareEventSources(EventSourceContext<ImageDefinition> context) {
        context.getPrimaryCache()
                .addIndexer(BY_GALLERY, d -> List.of(Keys.of(d.getMetadata().getNamespace(), d.getSpec().galleryName)));
        var galleries = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Gallery.class, ImageDefinition.class)
                        .withSecondaryToPrimaryMapper(
                                g -> context.getPrimaryCache().byIndex(BY_GALLERY, Keys.of(g)).stream()
                                        .map(ResourceID::fromResource)
                                        .collect(Collectors.toSet()))
                        .withPrimaryToSecondaryMapper((ImageDefinition d) -> Set.of(new ResourceID(
                                d.getSpec().galleryName, d.getMetadata().getNamespace())))
                        .withNamespacesInheritedFromController()
                        .build(),
                context);
        var versions = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(ImageVersion.class, ImageDefinition.class)
                        .withSecondaryToPrimaryMapper(v -> Set.of(new ResourceID(
                                v.getSpec().imageDefinitionName, v.getMetadata().getNamespace())))
                        .withNamespacesInheritedFromController()
                        .build(),
                context);
        return List.of(galleries, versions);
    }

    @Override
    public UpdateControl<ImageDefinition> reconcile(ImageDefinition definition, Context<ImageDefinition> context) {
        Set<ImageVersion> versions = context.getSecondaryResources(ImageVersion.class);
        var findings = new ImageDefinitionStatusCalculator.Findings(
                problem(definition, context), latest(versions), versions.size(), definition.getSpec().endOfLifeDate);
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
        UpdateControl<ImageDefinition> control = StatusPublisher.publish(events, definition, next);
        return EndOfLifeCondition.timeLeft(definition.getSpec().endOfLifeDate, Instant.now())
                .map(control::rescheduleAfter)
                .orElse(control);
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

    /** Latest counts only versions whose replication to a region is Completed, honouring exclude-from-latest. */
    static LatestVersions.Result latest(Set<ImageVersion> versions) {
        return LatestVersions.of(versions.stream()
                .map(v -> {
                    Map<String, Boolean> excludedIn = new HashMap<>();
                    Map<String, Boolean> completedIn = new HashMap<>();
                    for (TargetRegion target : v.getSpec().publishingProfile.targetRegions) {
                        if (target.excludeFromLatest != null) {
                            excludedIn.put(target.name, target.excludeFromLatest);
                        }
                        completedIn.put(target.name, completed(v, target.name));
                    }
                    return new LatestVersions.Candidate(
                            SemanticVersion.parse(v.getSpec().version),
                            Boolean.TRUE.equals(v.getSpec().publishingProfile.excludeFromLatest),
                            excludedIn,
                            completedIn);
                })
                .toList());
    }

    private static boolean completed(ImageVersion version, String region) {
        var replication = version.getStatus() == null ? null : version.getStatus().replicationStatus;
        if (replication == null || replication.summary == null) {
            return false;
        }
        return replication.summary.stream()
                .anyMatch((RegionReplication r) -> r.region.equals(region) && r.state == RegionState.Completed);
    }

    /** Its share goes with it: the garbage collector follows the Role's and RoleBinding's owner references. */
    @Override
    public DeleteControl cleanup(ImageDefinition definition, Context<ImageDefinition> context) {
        return DeletionGuard.whileChildrenRemain(
                context,
                events,
                definition,
                ImageDefinitionStatus::new,
                context.getSecondaryResources(ImageVersion.class).stream(),
                "image definition before its versions");
    }
}
