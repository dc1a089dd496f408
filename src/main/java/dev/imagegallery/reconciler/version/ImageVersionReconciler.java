package dev.imagegallery.reconciler.version;

import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.api.ImageVersionStatus;
import dev.imagegallery.config.GalleryLimits;
import dev.imagegallery.config.SharingConfig;
import dev.imagegallery.events.EventRecorder;
import dev.imagegallery.metrics.OperatorMetrics;
import dev.imagegallery.reconciler.CachedFields;
import dev.imagegallery.reconciler.DeletionGuard;
import dev.imagegallery.reconciler.PlacementInputs;
import dev.imagegallery.reconciler.StatusPublisher;
import dev.imagegallery.reconciler.VersionFeed;
import dev.imagegallery.replication.SourceChecks;
import dev.imagegallery.replication.VersionKey;
import dev.imagegallery.sharing.ShareDependents;
import dev.imagegallery.sharing.ShareDependents.ShareRole;
import dev.imagegallery.sharing.ShareDependents.ShareRoleBinding;
import dev.imagegallery.sharing.ShareDependents.Shared;
import dev.imagegallery.sharing.ShareGrant;
import dev.imagegallery.sharing.SubjectPolicy;
import dev.imagegallery.status.EndOfLifeCondition;
import dev.imagegallery.status.Outcome;
import dev.imagegallery.status.Reason;
import dev.imagegallery.validation.EndOfLifeDate;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reconciles a version in five steps: observe it once ({@link ObservedVersion}), validate it
 * ({@link VersionRules}, then {@link ReplicationGate} for its source and byte quota), place it
 * ({@link PlacementLedger}), act ({@link ReplicationStep}: copies run on the copy threads) and build
 * its status ({@link ImageVersionStatusCalculator}). Placement takes the target regions its
 * definition's retention keeps; a version that retention deletes after its end of life is deleted
 * first ({@link EndOfLifeDeletion}). On deletion, guards the end of life and deletes its replicas.
 */
// Not generation-aware: the retry annotation must trigger a reconcile too; the filter still ignores the status writes.
@Workflow(
        explicitInvocation = true,
        dependents = {
            @Dependent(name = ShareDependents.ROLE, type = ShareRole.class, reconcilePrecondition = Shared.class),
            @Dependent(type = ShareRoleBinding.class, dependsOn = ShareDependents.ROLE)
        })
@ControllerConfiguration(
        name = "imageversion",
        generationAwareEventProcessing = false,
        informer =
                @Informer(
                        onUpdateFilter = VersionUpdateFilter.class,
                        itemStore = CachedFields.CompactVersions.class,
                        informerListLimit = CachedFields.VERSIONS_PER_LIST))
public class ImageVersionReconciler implements Reconciler<ImageVersion>, Cleaner<ImageVersion> {
    /** Over-quota versions look again this often: a deleted version frees a slot without any event for them. */
    private static final Duration QUOTA_RECHECK = Duration.ofMinutes(1);

    private final VersionRules rules;
    private final SubjectPolicy subjects;
    private final EventRecorder events;
    private final ReplicationService service;
    private final PlacementLedger ledger;
    private final Optional<Long> byteBudget;
    private final ReplicationStep step;
    private final OperatorMetrics metrics;
    private final VersionFeed feed;
    private final VersionObserver observer;
    private final EndOfLifeDeletion endOfLifeDeletion;
    private final VersionDeletion deletion;
    private final SoftDeletes softDeletes;

    public ImageVersionReconciler(
            GalleryLimits limits,
            SharingConfig sharing,
            EventRecorder events,
            ReplicationService service,
            PlacementLedger ledger,
            OperatorMetrics metrics,
            VersionFeed feed,
            SoftDeletes softDeletes) {
        this.rules = new VersionRules(limits.maxReplicasPerRegion(), limits.imageVersionsPerNamespacePerRegion());
        this.subjects = sharing.subjectPolicy();
        this.ledger = ledger;
        this.byteBudget = ByteQuota.budget(limits.bytesPerNamespacePerRegion());
        this.events = events;
        this.service = service;
        this.step = new ReplicationStep(service, events);
        this.metrics = metrics;
        this.feed = feed;
        this.observer = new VersionObserver(feed, softDeletes);
        this.deletion = new VersionDeletion(step, softDeletes, events);
        this.softDeletes = softDeletes;
        this.endOfLifeDeletion = new EndOfLifeDeletion(events);
    }

    @Override
    public List<EventSource<?, ImageVersion>> prepareEventSources(EventSourceContext<ImageVersion> context) {
        // This controller's cache is the operator's one cache of versions: the other controllers read it too.
        feed.attach(context.getPrimaryCache());
        ((CachedFields.CompactVersions)
                        context.getControllerConfiguration().getInformerConfig().getItemStore())
                .reportTo(feed);
        metrics.observeVersions(context.getPrimaryCache()::list);
        var sources = new ArrayList<>(observer.eventSources(
                context, v -> service.startSourceCheck(ResourceID.fromResource(v), v.getSpec().source)));
        sources.add(service.eventSource());
        sources.add(softDeletes.versionEvents());
        return sources;
    }

    @Override
    public UpdateControl<ImageVersion> reconcile(ImageVersion version, Context<ImageVersion> context) {
        Instant now = Instant.now();
        if (endOfLifeDeletion.deleteIfDue(version, context, now)) {
            return UpdateControl.noUpdate();
        }
        ObservedVersion observed = observer.observe(version, context);
        Optional<Outcome> broken = rules.firstBroken(observed);
        // A broken rule holds the replication before the source is looked at.
        SourceChecks.Finding source = broken.isPresent()
                ? null
                : service.checkSource(ResourceID.fromResource(version), version.getSpec().source);
        if (source instanceof SourceChecks.Checking) {
            // The check runs off this thread and its end reconciles the version again. Until then the status stays as
            // it was: a restart thus writes nothing.
            return UpdateControl.noUpdate();
        }
        var decision = ReplicationGate.decide(
                observed,
                broken,
                source,
                byteBudget,
                service::knownSize,
                region -> observed.key().map(k -> softDeletes.bytes(k, region)).orElse(0L));
        ObservedVersion placing = observed.placedAsRestored();
        Replication replication = decision instanceof ReplicationGate.Admitted admitted
                ? step.act(
                        placing,
                        admitted.sizeBytes(),
                        ledger.place(
                                placing,
                                PlacementInputs.replicaBytes(placing.spec(), admitted.sizeBytes()),
                                () -> context.getPrimaryCache().list()))
                : ((ReplicationGate.Held) decision).onHold();
        return publish(observed, broken, replication, context, now);
    }

    /** Builds the status, shares the version and writes what changed; then when to look again. */
    private UpdateControl<ImageVersion> publish(
            ObservedVersion observed,
            Optional<Outcome> broken,
            Replication replication,
            Context<ImageVersion> context,
            Instant now) {
        ImageVersion version = observed.version();
        // A refused sharing subject stalls the version but leaves its replication alone:
        // who may read an image is not the image.
        Optional<Outcome> verdict =
                broken.or(() -> subjects.refusal(version.getSpec().sharing).map(Outcome::stalled));
        ImageVersionStatus next = ImageVersionStatusCalculator.calculate(observed, verdict, replication, now);
        ShareGrant grant = ShareGrant.of(
                version, "imageversions", subjects.grantable(version.getSpec().sharing), List.of(), List.of());
        next.sharing = ShareDependents.apply(context, grant);
        UpdateControl<ImageVersion> control = StatusPublisher.publish(context, events, version, next);
        // Over a quota, of versions or of bytes: another version's deletion frees room without an event for this one.
        if (Stream.concat(broken.stream(), replication.problem().stream())
                .anyMatch(p -> p.reason() == Reason.QuotaExceeded)) {
            return control.rescheduleAfter(QUOTA_RECHECK);
        }
        if (replication
                .problem()
                .filter(p -> p.kind() == Outcome.Kind.IN_PROGRESS)
                .isPresent()) {
            return control.rescheduleAfter(Replication.RECHECK);
        }
        return Stream.of(
                        EndOfLifeCondition.timeLeft(version.getSpec().publishingProfile.endOfLifeDate, now),
                        EndOfLifeDeletion.timeLeft(version, context, now))
                .flatMap(Optional::stream)
                .min(Comparator.naturalOrder())
                .map(control::rescheduleAfter)
                .orElse(control);
    }

    @Override
    public DeleteControl cleanup(ImageVersion version, Context<ImageVersion> context) {
        var safety = version.getSpec().safetyProfile;
        String endOfLife = version.getSpec().publishingProfile.endOfLifeDate;
        if (safety != null && Boolean.TRUE.equals(safety.blockDeletionBeforeEndOfLife)) {
            if (endOfLife == null) {
                return DeletionGuard.block(
                        context,
                        events,
                        version,
                        ImageVersionStatus::new,
                        "safetyProfile.blockDeletionBeforeEndOfLife is set and the version has no end-of-life date:"
                                + " set publishingProfile.endOfLifeDate or clear the flag",
                        Duration.ofMinutes(10));
            }
            Instant end = EndOfLifeDate.parse(endOfLife);
            if (end.isAfter(Instant.now())) {
                return DeletionGuard.block(
                        context,
                        events,
                        version,
                        ImageVersionStatus::new,
                        "safetyProfile.blockDeletionBeforeEndOfLife keeps the version until its end of life, "
                                + endOfLife,
                        Duration.between(Instant.now(), end).plusSeconds(1));
            }
        }
        // Where the replicas are comes from the version and its definition, never from the status a tenant may edit.
        Optional<VersionKey> key = observer.key(version, context);
        if (key.isEmpty()) {
            events.warning(
                    version,
                    Reason.ReplicasLeftInPlace,
                    "image definition " + version.getSpec().imageDefinitionName + " is gone, so the"
                            + " gallery holding this version's replicas is unknown: they stay in their stores");
        } else {
            Optional<VersionDeletion.Wait> wait =
                    deletion.replicasLeft(version, key.get(), observer.catalogue(), context);
            if (wait.isPresent()) {
                return DeletionGuard.block(
                        context,
                        events,
                        version,
                        ImageVersionStatus::new,
                        wait.get().why(),
                        wait.get().recheck());
            }
        }
        ledger.forget(version);
        return DeleteControl.defaultDelete();
    }
}
