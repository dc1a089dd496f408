package dev.imagegallery.reconciler.gallery;

import dev.imagegallery.api.Gallery;
import dev.imagegallery.api.GalleryStatus;
import dev.imagegallery.api.ImageDefinition;
import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.api.Sharing;
import dev.imagegallery.config.GalleryLimits;
import dev.imagegallery.config.SharingConfig;
import dev.imagegallery.config.StatusConfig;
import dev.imagegallery.events.EventRecorder;
import dev.imagegallery.reconciler.CountPacing;
import dev.imagegallery.reconciler.DeletionGuard;
import dev.imagegallery.reconciler.Keys;
import dev.imagegallery.reconciler.StatusPublisher;
import dev.imagegallery.reconciler.VersionFeed;
import dev.imagegallery.reconciler.version.SoftDeletes;
import dev.imagegallery.sharing.ShareDependents;
import dev.imagegallery.sharing.ShareDependents.ShareRole;
import dev.imagegallery.sharing.ShareDependents.ShareRoleBinding;
import dev.imagegallery.sharing.ShareDependents.Shared;
import dev.imagegallery.sharing.ShareGrant;
import dev.imagegallery.sharing.SubjectPolicy;
import dev.imagegallery.validation.FirstClaim;
import dev.imagegallery.validation.FirstClaim.Claimant;
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
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Counts what a Gallery holds, enforces the gallery quota, keeps a non-empty gallery from being
 * deleted, and keeps the record of its soft-deleted versions ({@link SoftDeletedVersions}).
 */
@Workflow(
        explicitInvocation = true,
        dependents = {
            @Dependent(name = ShareDependents.ROLE, type = ShareRole.class, reconcilePrecondition = Shared.class),
            @Dependent(type = ShareRoleBinding.class, dependsOn = ShareDependents.ROLE)
        })
@ControllerConfiguration(name = "gallery")
public class GalleryReconciler implements Reconciler<Gallery>, Cleaner<Gallery> {
    private final GalleryLimits limits;
    private final SubjectPolicy subjects;
    private final EventRecorder events;
    private final CountPacing pacing;
    private InformerEventSource<ImageDefinition, Gallery> definitions;
    private final VersionFeed feed;
    private final SoftDeleteStep softDeleteStep;

    public GalleryReconciler(
            GalleryLimits limits,
            SharingConfig sharing,
            StatusConfig status,
            EventRecorder events,
            VersionFeed feed,
            SoftDeletes softDeletes) {
        this.limits = limits;
        this.subjects = sharing.subjectPolicy();
        this.events = events;
        this.pacing = new CountPacing(status.countInterval());
        this.feed = feed;
        this.softDeleteStep = new SoftDeleteStep(softDeletes, feed, events);
    }

    @Override
    public List<EventSource<?, Gallery>> prepareEventSources(EventSourceContext<Gallery> context) {
        definitions = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(ImageDefinition.class, Gallery.class)
                        .withSecondaryToPrimaryMapper(d -> Set.of(new ResourceID(
                                d.getSpec().galleryName, d.getMetadata().getNamespace())))
                        .withNamespacesInheritedFromController()
                        .build(),
                context);
        // A version belongs to a gallery through its definition; its name and definition are all a gallery
        // reads of it, and neither changes: only a version added or removed wakes the gallery.
        var versions = feed.eventSource(
                "versions",
                context,
                VersionFeed::addedOrRemoved,
                v -> definitions
                        .get(new ResourceID(
                                v.getSpec().imageDefinitionName, v.getMetadata().getNamespace()))
                        .map(d -> new ResourceID(
                                d.getSpec().galleryName, d.getMetadata().getNamespace()))
                        .stream());
        return List.of(definitions, versions, softDeleteStep.eventSource());
    }

    @Override
    public UpdateControl<Gallery> reconcile(Gallery gallery, Context<Gallery> context) {
        String namespace = gallery.getMetadata().getNamespace();
        List<ImageDefinition> held = definitionsOf(gallery);
        List<String> definitionNames = names(held);
        List<String> versionNames = versionsOf(gallery, definitionNames)
                .map(v -> v.getMetadata().getName())
                .toList();
        List<Claimant> galleries =
                context.getPrimaryCache().list(namespace).map(Keys::claimant).toList();
        boolean overQuota = FirstClaim.beyondLimit(Keys.claimant(gallery), galleries, limits.galleriesPerNamespace());

        Sharing sharing = gallery.getSpec().sharing;
        GalleryStatus before = gallery.getStatus();
        GalleryStatus next = GalleryStatusCalculator.calculate(
                before,
                gallery.getMetadata().getGeneration(),
                held.size(),
                versionNames.size(),
                overQuota,
                limits.galleriesPerNamespace(),
                subjects.refusal(sharing),
                Instant.now());
        ShareGrant grant =
                ShareGrant.of(gallery, "galleries", subjects.grantable(sharing), definitionNames, versionNames);
        next.sharing = ShareDependents.apply(context, grant);
        SoftDeleteStep.Applied softDeleted = softDeleteStep.apply(gallery, context, Instant.now());
        next.softDeletedVersions = softDeleted.kept().isEmpty() ? null : softDeleted.kept();
        UpdateControl<Gallery> control = pacing.publish(
                gallery,
                next,
                CountPacing.counts("imageDefinitionCount", "imageVersionCount"),
                () -> StatusPublisher.publish(context, events, gallery, next));
        softDeleteStep.recorded(gallery, softDeleted.kept());
        return Stream.concat(
                        control.getScheduleDelay().map(Duration::ofMillis).stream(), softDeleted.lookAgain().stream())
                .min(Comparator.naturalOrder())
                .map(control::rescheduleAfter)
                .orElse(control);
    }

    /** Its share goes with it: the garbage collector follows the Role's and RoleBinding's owner references. */
    @Override
    public DeleteControl cleanup(Gallery gallery, Context<Gallery> context) {
        pacing.forget(gallery);
        DeleteControl control = DeletionGuard.whileChildrenRemain(
                context,
                events,
                gallery,
                GalleryStatus::new,
                definitionsOf(gallery).stream(),
                "gallery before its image definitions");
        if (!control.isRemoveFinalizer()) {
            return control;
        }
        // Its soft-deleted versions go with it: nothing could restore them without the gallery.
        if (!softDeleteStep.purge(gallery, context)) {
            return DeletionGuard.block(
                    context,
                    events,
                    gallery,
                    GalleryStatus::new,
                    "deleting the replicas of its soft-deleted versions failed; retrying",
                    SoftDeleteStep.EXPIRY_RETRY);
        }
        return control;
    }

    /** The gallery's versions: those of its definitions, named. */
    private Stream<ImageVersion> versionsOf(Gallery gallery, Collection<String> definitionNames) {
        return definitionNames.stream()
                .flatMap(d -> feed.ofDefinition(gallery.getMetadata().getNamespace(), d).stream());
    }

    private static List<String> names(List<ImageDefinition> definitions) {
        return definitions.stream().map(d -> d.getMetadata().getName()).toList();
    }

    private List<ImageDefinition> definitionsOf(Gallery gallery) {
        return definitions
                .list(
                        gallery.getMetadata().getNamespace(),
                        d -> d.getSpec()
                                .galleryName
                                .equals(gallery.getMetadata().getName()))
                .toList();
    }
}
