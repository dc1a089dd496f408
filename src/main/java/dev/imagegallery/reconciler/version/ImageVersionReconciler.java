package dev.imagegallery.reconciler.version;

import dev.imagegallery.status.Reason;
import dev.imagegallery.api.ImageDefinition;
import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.api.ImageVersionSpec.TargetRegion;
import dev.imagegallery.api.ImageVersionStatus;
import dev.imagegallery.api.Region;
import dev.imagegallery.api.RegionSpec;
import dev.imagegallery.config.GalleryLimits;
import dev.imagegallery.config.SharingConfig;
import dev.imagegallery.events.EventRecorder;
import dev.imagegallery.metrics.OperatorMetrics;
import dev.imagegallery.placement.PlacementResult;
import dev.imagegallery.reconciler.DeletionGuard;
import dev.imagegallery.reconciler.Keys;
import dev.imagegallery.reconciler.PlacementInputs;
import dev.imagegallery.reconciler.StatusPublisher;
import dev.imagegallery.replication.SourceChecks;
import dev.imagegallery.replication.VersionKey;
import dev.imagegallery.sharing.ShareGrant;
import dev.imagegallery.sharing.ShareWriter;
import dev.imagegallery.sharing.SubjectPolicy;
import dev.imagegallery.status.EndOfLifeCondition;
import dev.imagegallery.status.Outcome;
import dev.imagegallery.validation.EndOfLifeDate;
import dev.imagegallery.validation.FirstClaim;
import dev.imagegallery.validation.VersionCompatibility;
import dev.imagegallery.validation.Violation;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a version against its definition, its siblings, the Region catalogue and the quotas;
 * places and replicates it, reporting each region; flags end of life; guards deletion and region
 * removal; and deletes its replicas when it goes.
 */
// Not generation-aware: the retry annotation must trigger a reconcile too; the filter still ignores the status writes.
@ControllerConfiguration(name = "imageversion", generationAwareEventProcessing = false,
    informer = @Informer(onUpdateFilter = VersionUpdateFilter.class))
public class ImageVersionReconciler implements Reconciler<ImageVersion>, Cleaner<ImageVersion> {
  private static final String BY_DEFINITION = "by-definition";
  private static final String BY_TARGET_REGION = "by-target-region";
  /** Over-quota versions look again this often: a deleted version frees a slot without any event for them. */
  private static final Duration QUOTA_RECHECK = Duration.ofMinutes(1);

  private final GalleryLimits limits;
  private final SubjectPolicy subjects;
  private final EventRecorder events;
  private final VersionReplicator replicator;
  private final PlacementLedger ledger;
  private final Optional<Long> byteBudget;
  private final VersionReplication replication;
  private final OperatorMetrics metrics;
  private InformerEventSource<Region, ImageVersion> regions;

  public ImageVersionReconciler(GalleryLimits limits, SharingConfig sharing, EventRecorder events, VersionReplicator replicator,
      PlacementLedger ledger, OperatorMetrics metrics) {
    this.limits = limits;
    this.subjects = sharing.subjectPolicy();
    this.ledger = ledger;
    this.byteBudget = ByteQuota.budget(limits.bytesPerNamespacePerRegion());
    this.events = events;
    this.replicator = replicator;
    this.replication = new VersionReplication(replicator, events);
    this.metrics = metrics;
  }

  @Override
  public List<EventSource<?, ImageVersion>> prepareEventSources(EventSourceContext<ImageVersion> context) {
    var cache = context.getPrimaryCache();
    metrics.observeVersions(cache::list);
    cache.addIndexer(BY_DEFINITION, v -> List.of(Keys.of(v.getMetadata().getNamespace(), v.getSpec().imageDefinitionName)));
    cache.addIndexer(BY_TARGET_REGION, v -> v.getSpec().publishingProfile.targetRegions.stream().map(t -> t.name).toList());
    var definitions = new InformerEventSource<>(InformerEventSourceConfiguration.from(ImageDefinition.class, ImageVersion.class)
        .withSecondaryToPrimaryMapper(d -> ids(cache.byIndex(BY_DEFINITION, Keys.of(d))))
        .withPrimaryToSecondaryMapper((ImageVersion v) -> Set.of(new ResourceID(v.getSpec().imageDefinitionName, v.getMetadata().getNamespace())))
        .withNamespacesInheritedFromController().build(), context);
    regions = new InformerEventSource<>(InformerEventSourceConfiguration.from(Region.class, ImageVersion.class)
        .withSecondaryToPrimaryMapper(r -> ids(cache.byIndex(BY_TARGET_REGION, r.getMetadata().getName())))
        .withWatchAllNamespaces().build(), context);
    // When a version changes or goes, the other versions of its definition may win or lose a version-number conflict.
    // Only its spec matters for that: a sibling's status writes wake no one.
    var siblings = new InformerEventSource<>(InformerEventSourceConfiguration.from(ImageVersion.class, ImageVersion.class)
        .withName("sibling-versions")
        .withOnUpdateFilter((newer, older) -> !Objects.equals(newer.getMetadata().getGeneration(), older.getMetadata().getGeneration()))
        .withSecondaryToPrimaryMapper(v -> ids(cache.byIndex(BY_DEFINITION, Keys.of(v.getMetadata().getNamespace(), v.getSpec().imageDefinitionName))))
        .withNamespacesInheritedFromController().build(), context);
    return List.of(definitions, regions, siblings, replicator.eventSource());
  }

  private static Set<ResourceID> ids(List<ImageVersion> versions) {
    return versions.stream().map(ResourceID::fromResource).collect(Collectors.toSet());
  }

  @Override
  public UpdateControl<ImageVersion> reconcile(ImageVersion version, Context<ImageVersion> context) {
    Instant now = Instant.now();
    Optional<Outcome> problem = problem(version, context);
    Optional<ReplicationView> checked = replication(version, problem, context);
    if (checked.isEmpty()) {
      // The status stays as it was until the source's check ends; a restart thus writes nothing.
      return UpdateControl.noUpdate();
    }
    ReplicationView replication = checked.get();
    // A refused sharing subject stalls the version but leaves its replication alone: who may read an image is not the image.
    Optional<Outcome> verdict = problem.or(() -> subjects.refusal(version.getSpec().sharing).map(Outcome::stalled));
    ImageVersionStatus next = ImageVersionStatusCalculator.calculate(version.getStatus(), version.getMetadata().getGeneration(), verdict,
        replication, version.getSpec().publishingProfile.endOfLifeDate, now);
    ShareGrant grant = ShareGrant.of(version, "imageversions", subjects.grantable(version.getSpec().sharing), List.of(), List.of());
    UpdateControl<ImageVersion> control = StatusPublisher.publish(context.getClient(), events, version, next, grant);
    if (problem.map(p -> p.reason() == Reason.QuotaExceeded).orElse(false)) {
      return control.rescheduleAfter(QUOTA_RECHECK);
    }
    if (replication.problem().filter(p -> p.kind() == Outcome.Kind.IN_PROGRESS).isPresent()) {
      return control.rescheduleAfter(VersionReplication.RECHECK);
    }
    return EndOfLifeCondition.timeLeft(version.getSpec().publishingProfile.endOfLifeDate, now).map(control::rescheduleAfter).orElse(control);
  }

  /** The first rule the version breaks, in the order a user would fix them. */
  private Optional<Outcome> problem(ImageVersion version, Context<ImageVersion> context) {
    String namespace = version.getMetadata().getNamespace();
    if (context.getSecondaryResource(ImageDefinition.class).isEmpty()) {
      return Optional.of(Outcome.inProgress(Reason.ImageDefinitionNotFound, "image definition " + version.getSpec().imageDefinitionName
          + " does not exist in namespace " + namespace + "; the version proceeds when it is created"));
    }
    var sameNumber = context.getPrimaryCache().byIndex(BY_DEFINITION, Keys.of(namespace, version.getSpec().imageDefinitionName)).stream()
        .filter(v -> v.getSpec().version.equals(version.getSpec().version)).map(Keys::claimant).toList();
    var holder = FirstClaim.heldBefore(Keys.claimant(version), sameNumber);
    if (holder.isPresent()) {
      return Optional.of(Outcome.stalled(Reason.VersionConflict, "version " + version.getSpec().version + " of image definition "
          + version.getSpec().imageDefinitionName + " already exists as ImageVersion " + holder.get().name()));
    }
    Optional<Outcome> removalBlocked = removalOfReplicatedRegion(version);
    if (removalBlocked.isPresent()) {
      return removalBlocked;
    }
    Map<String, RegionSpec> catalogue = regions.list().collect(Collectors.toMap(r -> r.getMetadata().getName(), Region::getSpec));
    List<Violation> violations = VersionCompatibility.check(version.getSpec(), namespace, catalogue, limits.maxReplicasPerRegion(),
        Instant.parse(version.getMetadata().getCreationTimestamp()));
    if (!violations.isEmpty()) {
      return Optional.of(Outcome.stalled(violations.get(0).reason(),
          violations.stream().map(Violation::message).collect(Collectors.joining("; "))));
    }
    for (TargetRegion target : version.getSpec().publishingProfile.targetRegions) {
      var sameRegion = sameNamespaceTargeting(version, target.name, context).stream().map(Keys::claimant).toList();
      if (FirstClaim.beyondLimit(Keys.claimant(version), sameRegion, limits.imageVersionsPerNamespacePerRegion())) {
        return Optional.of(Outcome.stalled(Reason.QuotaExceeded, "namespace " + namespace + " already has "
            + limits.imageVersionsPerNamespacePerRegion() + " image versions targeting region " + target.name
            + ", its quota (image-gallery.image-versions-per-namespace-per-region)"));
      }
    }
    return Optional.empty();
  }

  private static List<ImageVersion> sameNamespaceTargeting(ImageVersion version, String region, Context<ImageVersion> context) {
    return context.getPrimaryCache().byIndex(BY_TARGET_REGION, region).stream()
        .filter(v -> v.getMetadata().getNamespace().equals(version.getMetadata().getNamespace())).toList();
  }

  /** A region dropped from the targets still holds replicas, and the safety profile says they must stay. */
  private static Optional<Outcome> removalOfReplicatedRegion(ImageVersion version) {
    var safety = version.getSpec().safetyProfile;
    if (safety == null || !Boolean.FALSE.equals(safety.allowDeletionOfReplicatedLocations)) {
      return Optional.empty();
    }
    Set<String> targets = version.getSpec().publishingProfile.targetRegions.stream().map(t -> t.name).collect(Collectors.toSet());
    List<String> removed = PlacementInputs.placed(version).replicasByRegion().keySet().stream()
        .filter(r -> !targets.contains(r)).sorted().toList();
    return removed.isEmpty() ? Optional.empty() : Optional.of(Outcome.stalled(Reason.RegionRemovalBlocked, "target region "
        + String.join(", ", removed) + " holds replicas and spec.safetyProfile.allowDeletionOfReplicatedLocations is false:"
        + " add the region back, or set the flag to true to delete its replicas"));
  }

  /**
   * Checks the version's source, places its replicas and replicates them; empty while the source is
   * being checked (off this thread: its end reconciles the version again).
   */
  private Optional<ReplicationView> replication(ImageVersion version, Optional<Outcome> problem, Context<ImageVersion> context) {
    Optional<VersionKey> key = context.getSecondaryResource(ImageDefinition.class).map(d -> versionKey(version, d));
    String storagePath = key.map(VersionKey::objectPrefix).orElse(null);
    if (problem.isPresent()) {
      return Optional.of(ReplicationView.onHold(version, "on hold while the version is not valid (" + problem.get().reason() + ")",
          version.getSpec().source.sizeBytes, storagePath, Optional.empty()));
    }
    SourceChecks.Finding source = replicator.checkSource(ResourceID.fromResource(version), version.getSpec().source);
    if (source instanceof SourceChecks.Checking) {
      return Optional.empty();
    }
    if (source instanceof SourceChecks.NotAllowed refused) {
      return Optional.of(ReplicationView.onHold(version, "on hold: the source is not allowed", null, storagePath,
          Optional.of(Outcome.stalled(Reason.SourceNotAllowed, refused.message()))));
    }
    if (source instanceof SourceChecks.Unreachable unreachable) {
      return Optional.of(ReplicationView.onHold(version, "waiting for the source", version.getSpec().source.sizeBytes, storagePath,
          Optional.of(Outcome.inProgress(Reason.SourceUnreachable, "cannot read spec.source.url: " + unreachable.message()
              + "; retrying every " + VersionReplication.RECHECK.toSeconds() + "s"))));
    }
    long size = ((SourceChecks.Usable) source).sizeBytes();
    Optional<Outcome> overQuota = byteBudget.flatMap(budget -> ByteQuota.exceeded(version, size,
        budget, region -> sameNamespaceTargeting(version, region, context), replicator::knownSize));
    if (overQuota.isPresent()) {
      return Optional.of(ReplicationView.onHold(version, "on hold while over the byte quota", size, storagePath, overQuota));
    }
    List<Region> catalogue = regions.list().toList();
    PlacementResult placement = ledger.place(version, size, catalogue, context.getPrimaryCache().list());
    // A valid version has its definition (no problem above), hence its key.
    return Optional.of(replication.follow(version, key.orElseThrow(), size, placement, catalogue));
  }

  private static VersionKey versionKey(ImageVersion version, ImageDefinition definition) {
    return new VersionKey(version.getMetadata().getNamespace(), definition.getSpec().galleryName, definition.getMetadata().getName(),
        version.getSpec().version);
  }

  @Override
  public DeleteControl cleanup(ImageVersion version, Context<ImageVersion> context) {
    var safety = version.getSpec().safetyProfile;
    String endOfLife = version.getSpec().publishingProfile.endOfLifeDate;
    if (safety != null && Boolean.TRUE.equals(safety.blockDeletionBeforeEndOfLife)) {
      if (endOfLife == null) {
        return DeletionGuard.block(context.getClient(), events, version, ImageVersionStatus::new, "safetyProfile.blockDeletionBeforeEndOfLife is set"
            + " and the version has no end-of-life date: set publishingProfile.endOfLifeDate or clear the flag", Duration.ofMinutes(10));
      }
      Instant end = EndOfLifeDate.parse(endOfLife);
      if (end.isAfter(Instant.now())) {
        return DeletionGuard.block(context.getClient(), events, version, ImageVersionStatus::new, "safetyProfile.blockDeletionBeforeEndOfLife keeps the"
            + " version until its end of life, " + endOfLife, Duration.between(Instant.now(), end).plusSeconds(1));
      }
    }
    // Where the replicas are comes from the version and its definition, never from the status a tenant may edit.
    Optional<ImageDefinition> definition = context.getSecondaryResource(ImageDefinition.class);
    if (definition.isEmpty()) {
      events.warning(version, Reason.ReplicasLeftInPlace, "image definition " + version.getSpec().imageDefinitionName + " is gone, so the"
          + " gallery holding this version's replicas is unknown: they stay in their stores");
    } else {
      Optional<String> replicasLeft = replication.deleteAll(version, versionKey(version, definition.get()), regions.list().toList());
      if (replicasLeft.isPresent()) {
        return DeletionGuard.block(context.getClient(), events, version, ImageVersionStatus::new, replicasLeft.get(), VersionReplication.RECHECK);
      }
    }
    ledger.forget(version);
    ShareWriter.remove(context.getClient(), ShareGrant.of(version, "imageversions", null, List.of(), List.of()));
    return DeleteControl.defaultDelete();
  }
}
