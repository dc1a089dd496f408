package dev.imagegallery.reconciler.version;

import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.api.ImageVersionSpec;
import dev.imagegallery.api.ImageVersionSpec.Source;
import dev.imagegallery.config.ReplicationConfig;
import dev.imagegallery.config.SourcesConfig;
import dev.imagegallery.reconciler.DataDisks;
import dev.imagegallery.reconciler.PlacementInputs;
import dev.imagegallery.replication.AddressRules;
import dev.imagegallery.replication.CopyExecutor;
import dev.imagegallery.replication.CopyJob;
import dev.imagegallery.replication.CopyState;
import dev.imagegallery.replication.FailureReason;
import dev.imagegallery.replication.ObjectStore;
import dev.imagegallery.replication.ReplicaKey;
import dev.imagegallery.replication.ReplicationMetrics;
import dev.imagegallery.replication.SourceAccess;
import dev.imagegallery.replication.SourceChecks;
import dev.imagegallery.replication.SourcePolicy;
import dev.imagegallery.replication.StoreClients;
import dev.imagegallery.replication.StoreUnavailableException;
import dev.imagegallery.replication.VerifiedCopier;
import dev.imagegallery.replication.VersionKey;
import dev.imagegallery.replication.WriteFence;
import dev.imagegallery.stores.ReplicaUrls;
import dev.imagegallery.stores.SecretBackedStore;
import dev.imagegallery.stores.StoreConnector;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The operator's copying machinery as the ImageVersion controller uses it: checks sources, starts
 * copies on the bounded executor, checks replicas the status records as complete instead of copying
 * them again (after a restart), deletes replicas, and turns copy progress into reconciles of the
 * version: every state change at once, progress at most once per status interval.
 */
@Singleton
public class ReplicationService {
    /** Changing this annotation's value retries the Failed replicas of a version, without touching its spec. */
    public static final String RETRY_ANNOTATION = "imagegallery.dev/retry-replication";

    private static final Duration CANCEL_TIMEOUT = Duration.ofSeconds(30);

    /**
     * How long a reconcile waits for its version's source check when that check runs already: long
     * enough for a policy check on a busy machine, short enough to hold a reconcile thread no longer
     * than a request to the API server does. A slower check (a size probe) wakes the version when done.
     */
    private static final Duration SOURCE_CHECK_PATIENCE = Duration.ofMillis(200);

    private static final Logger LOG = Logger.getLogger(ReplicationService.class);

    private final StoreConnector stores;
    private final StoreClients storeClients;
    private final SourceAccess sources;
    private final SourceChecks<ResourceID> sourceChecks;
    private final Duration statusInterval;
    private final CopyExecutor executor;
    private final SimpleInboundEventSource<ImageVersion> events = new SimpleInboundEventSource<>("replication");
    private final Map<VersionKey, ResourceID> owners = new ConcurrentHashMap<>();
    private final Map<VersionKey, Instant> lastProgressEvent = new ConcurrentHashMap<>();
    private final Map<VersionKey, String> retryTokens = new ConcurrentHashMap<>();
    private final Map<DiskOf, Awaiting> awaiting = new ConcurrentHashMap<>();
    /** The replicas of each version with a copy still to end, as its last reconcile saw them. */
    private final Map<VersionKey, List<ReplicaKey>> unfinished = new ConcurrentHashMap<>();

    /**
     * A version's replicas as its last reconcile saw them, while some wait for a first complete one to
     * be copied from: that copy's end starts them, without a reconcile in between.
     */
    private record Awaiting(String sourceRegion, Disk disk, Map<StoredReplica, SecretBackedStore> reachable) {}

    /**
     * One disk of a version, as every replica's copy of it reads and verifies it: the OS disk
     * ({@code spec.source}, lun {@link ReplicaKey#OS_DISK}) or a data disk.
     */
    record Disk(int lun, String url, String sha256, long sizeBytes) {}

    /** One disk of one version: what a first complete copy ends the wait of. */
    private record DiskOf(VersionKey version, int lun) {}

    public ReplicationService(
            ReplicationConfig config,
            SourcesConfig sourcesConfig,
            ReplicationMetrics metrics,
            StoreConnector stores,
            WriteFence fence) {
        this.stores = stores;
        storeClients = new StoreClients(config.connectTimeout());
        statusInterval = config.statusInterval();
        executor = new CopyExecutor(
                config.settings(), new VerifiedCopier(metrics, config.statusInterval(), fence), this::onStateChange);
        SourcePolicy policy = new SourcePolicy(
                sourcesConfig.allowedUrlPrefixes().orElse(List.of()),
                new AddressRules(sourcesConfig.deniedCidrs().orElse(List.of())),
                InetAddress::getAllByName);
        sources = new SourceAccess(
                policy,
                new SourceAccess.SourceTimeouts(
                        config.connectTimeout(),
                        config.requestTimeout(),
                        config.readTimeout(),
                        config.minBytesPerSecond()),
                url -> stores.source(url, storeClients));
        sourceChecks = new SourceChecks<>(sources, config.sourceCheckThreads(), events::propagateEvent);
        stores.onSecretChange(secret -> retryStoreFailures("a store Secret changed"));
        stores.onStoreBack(() -> retryStoreFailures("a store answers again"));
    }

    /** Reconciles a version whose copies changed state. */
    EventSource<Void, ImageVersion> eventSource() {
        return events;
    }

    /**
     * What is known of the version's source: whether the admin's policy allows it and how large it is.
     * Checked off the reconcile thread; the version is reconciled again once the check is done.
     */
    SourceChecks.Finding checkSource(ResourceID owner, Source source) {
        return sourceChecks.finding(
                owner, owner.getNamespace().orElseThrow(), source.url, source.sizeBytes, SOURCE_CHECK_PATIENCE);
    }

    /** Starts checking a new version's source while java-operator-sdk adds its finalizer. */
    void startSourceCheck(ResourceID owner, Source source) {
        sourceChecks.start(owner, owner.getNamespace().orElseThrow(), source.url, source.sizeBytes);
    }

    /**
     * A version's size a replica, all its disks: the OS disk's declared, or as its source reported it, or
     * while unchecked as its status says; the data disks' declared.
     */
    long knownSize(ImageVersion version) {
        return PlacementInputs.replicaBytes(version.getSpec(), osDiskSize(version));
    }

    private long osDiskSize(ImageVersion version) {
        if (version.getSpec().source.sizeBytes != null) {
            return version.getSpec().source.sizeBytes;
        }
        return sourceChecks
                .known(ResourceID.fromResource(version))
                .map(SourceChecks.Usable::sizeBytes)
                .orElse(
                        version.getStatus() == null || version.getStatus().sizeBytes == null
                                ? 0
                                : version.getStatus().sizeBytes);
    }

    /**
     * Makes sure every wanted replica is copied or being copied, each from its {@link CopyOrigins
     * origin}, and tells how each stands. A replica the status records as Completed on the same store,
     * and unknown to the executor (the operator restarted), is checked in its store (digest marker and
     * size) and not copied again when intact.
     *
     * @param recordedOrigins what the status records each replica as copied from, for replicas found intact
     * @param retryToken the value of {@link #RETRY_ANNOTATION}; a change from the last one seen retries Failed replicas
     */
    Map<ReplicaKey, ReplicaCopy> replicate(
            ResourceID owner,
            VersionKey version,
            ImageVersionSpec spec,
            long sizeBytes,
            List<StoredReplica> wanted,
            List<StoredReplica> verifiedOnRecord,
            Map<ReplicaKey, String> recordedOrigins,
            String retryToken) {
        owners.put(version, owner);
        // Progress is reported once a status interval after the reconcile that starts the copies wrote its status.
        lastProgressEvent.putIfAbsent(version, Instant.now());
        String previousToken = retryTokens.put(version, Objects.requireNonNullElse(retryToken, ""));
        boolean retry = previousToken != null && !previousToken.equals(retryTokens.get(version));
        // Every disk of every reachable replica, before any copy starts: a copy may end before the next is submitted.
        List<Integer> luns = DataDisks.luns(spec);
        unfinished.put(
                version,
                wanted.stream()
                        .filter(r -> r.storeSpec().isPresent())
                        .flatMap(r -> r.key().withDataDisks(luns).stream())
                        .toList());
        Map<ReplicaKey, ReplicaCopy> copies = new LinkedHashMap<>();
        for (Disk disk : disks(spec, sizeBytes)) {
            copies.putAll(replicateDisk(
                    version,
                    spec.sourceRegion,
                    disk,
                    wanted.stream().map(r -> r.onDisk(disk.lun())).toList(),
                    // A replica is recorded Completed only when all its disks are: each disk of it was verified.
                    verifiedOnRecord.stream().map(r -> r.onDisk(disk.lun())).toList(),
                    recordedOrigins,
                    retry));
        }
        if (copies.values().stream().allMatch(copy -> ended(copy.state()))) {
            unfinished.remove(version);
        }
        return copies;
    }

    /** The OS disk, then the data disks by LUN, each with what its copies read and are verified against. */
    private static List<Disk> disks(ImageVersionSpec spec, long osDiskBytes) {
        List<Disk> disks = new ArrayList<>();
        disks.add(new Disk(ReplicaKey.OS_DISK, spec.source.url, spec.source.sha256, osDiskBytes));
        DataDisks.of(spec).forEach(d -> disks.add(new Disk(d.lun, d.source.url, d.source.sha256, d.source.sizeBytes)));
        return disks;
    }

    /** {@link #replicate} for one disk of every wanted replica. */
    private Map<ReplicaKey, ReplicaCopy> replicateDisk(
            VersionKey version,
            String sourceRegion,
            Disk disk,
            List<StoredReplica> wanted,
            List<StoredReplica> verifiedOnRecord,
            Map<ReplicaKey, String> recordedOrigins,
            boolean retry) {
        Map<StoredReplica, SecretBackedStore> reachable = new LinkedHashMap<>();
        wanted.stream()
                .filter(r -> r.storeSpec().isPresent())
                .forEach(r -> reachable.put(r, stores.open(r.storeSpec().get(), storeClients)));
        Map<ReplicaKey, CopyOrigins.Known> known = new LinkedHashMap<>();
        reachable.forEach((replica, store) -> {
            if (retry) {
                // Forgotten rather than reset: it is copied again from an origin chosen anew, as the one it read may be
                // gone.
                executor.known(replica.key())
                        .filter(k -> k.state() instanceof CopyState.Failed)
                        .ifPresent(k ->
                                executor.cancel(replica.key(), k.job().store().endpoint()));
            }
            knownOn(replica.key(), store)
                    .or(() -> intactOnRecord(replica, store, disk, verifiedOnRecord)
                            .map(location -> recordCompleted(replica, store, disk, location, recordedOrigins)))
                    .ifPresent(copy -> known.put(replica.key(), asOrigin(copy)));
        });
        Map<ReplicaKey, CopyOrigins.Origin> origins =
                CopyOrigins.choose(sourceRegion, List.copyOf(reachable.keySet()), known);
        // Before any copy starts: a copy may end before this loop has submitted the next.
        if (origins.values().stream().anyMatch(CopyOrigins.Origin.Await.class::isInstance)) {
            awaiting.put(new DiskOf(version, disk.lun()), new Awaiting(sourceRegion, disk, reachable));
        } else {
            awaiting.remove(new DiskOf(version, disk.lun()));
        }
        Map<ReplicaKey, ReplicaCopy> copies = new LinkedHashMap<>();
        reachable.forEach((replica, store) -> {
            CopyOrigins.Origin origin = origins.get(replica.key());
            ReplicaCopy copy;
            if (origin == null) {
                CopyExecutor.KnownCopy running = executor.known(replica.key()).orElseThrow();
                copy = new ReplicaCopy(running.state(), running.job().origin(), null);
            } else if (origin instanceof CopyOrigins.Origin.Await await) {
                copy = new ReplicaCopy(new CopyState.Waiting(await.details()), null, null);
            } else if (origin instanceof CopyOrigins.Origin.SourceFailed failed) {
                copy = new ReplicaCopy(
                        new CopyState.Failed(
                                failed.failure().reason(),
                                "not copied, as the source failed for replica "
                                        + failed.reader().index()
                                        + " of region " + failed.reader().region() + ": "
                                        + failed.failure().message(),
                                0),
                        null,
                        null);
            } else {
                CopyExecutor.KnownCopy submitted = submit(job(replica, store, disk, origin, reachable));
                copy = new ReplicaCopy(submitted.state(), submitted.job().origin(), null);
            }
            copies.put(replica.key(), withUrl(copy, replica));
        });
        return copies;
    }

    private static List<ReplicaKey> union(List<ReplicaKey> some, List<ReplicaKey> more) {
        return Stream.concat(some.stream(), more.stream()).distinct().toList();
    }

    private static boolean ended(CopyState state) {
        return state instanceof CopyState.Completed || state instanceof CopyState.Failed;
    }

    /** Whether another replica of the version has yet to end: waiting, queued or copying. */
    private boolean othersUnfinished(ReplicaKey replica) {
        return unfinished.getOrDefault(replica.version(), List.of()).stream()
                .filter(other -> !other.equals(replica))
                .anyMatch(other ->
                        executor.state(other).map(state -> !ended(state)).orElse(true));
    }

    /** Submits the job and returns what the executor runs: this job, or one submitted before it for the same replica. */
    private CopyExecutor.KnownCopy submit(CopyJob job) {
        CopyState state = executor.submit(job);
        return executor.known(job.key()).orElse(new CopyExecutor.KnownCopy(job, state));
    }

    /**
     * The version's first replica is complete: starts the replicas that waited for it, each from its
     * nearest complete replica, as the version's next reconcile would.
     *
     * @return whether any was started
     */
    private boolean startAwaiting(ReplicaKey ended) {
        Awaiting waiting = awaiting.remove(new DiskOf(ended.version(), ended.lun()));
        if (waiting == null) {
            return false;
        }
        Map<ReplicaKey, CopyOrigins.Known> known = new LinkedHashMap<>();
        waiting.reachable()
                .forEach((replica, store) ->
                        knownOn(replica.key(), store).ifPresent(copy -> known.put(replica.key(), asOrigin(copy))));
        Map<ReplicaKey, CopyOrigins.Origin> origins = CopyOrigins.choose(
                waiting.sourceRegion(), List.copyOf(waiting.reachable().keySet()), known);
        boolean started = false;
        for (var entry : waiting.reachable().entrySet()) {
            if (origins.get(entry.getKey().key()) instanceof CopyOrigins.Origin.Replica origin) {
                submit(job(entry.getKey(), entry.getValue(), waiting.disk(), origin, waiting.reachable()));
                started = true;
            }
        }
        return started;
    }

    /** A copy the executor knows, as {@link CopyOrigins} weighs it. */
    private static CopyOrigins.Known asOrigin(CopyExecutor.KnownCopy copy) {
        return new CopyOrigins.Known(copy.state(), copy.job().readsSource());
    }

    /** What the executor knows of the replica, if it copies (or copied) it to the same store. */
    private Optional<CopyExecutor.KnownCopy> knownOn(ReplicaKey key, ObjectStore store) {
        return executor.known(key).filter(k -> k.job().store().endpoint().equals(store.endpoint()));
    }

    /** Where the replica's disk is, when the status records it as verified and the store holds it intact. */
    private static Optional<String> intactOnRecord(
            StoredReplica replica, ObjectStore store, Disk disk, List<StoredReplica> onRecord) {
        if (onRecord.stream().noneMatch(replica::sameReplicaAs)) {
            return Optional.empty();
        }
        try {
            return store.verify(replica.key(), disk.sha256(), disk.sizeBytes())
                    ? Optional.of(store.location(replica.key()))
                    : Optional.empty();
        } catch (StoreUnavailableException e) {
            // The copy it falls back to reports the store's state properly.
            return Optional.empty();
        }
    }

    private CopyExecutor.KnownCopy recordCompleted(
            StoredReplica replica,
            ObjectStore store,
            Disk disk,
            String location,
            Map<ReplicaKey, String> recordedOrigins) {
        CopyJob job = new CopyJob(
                replica.key(),
                sources.source(disk.url()),
                disk.sha256(),
                disk.sizeBytes(),
                store,
                recordedOrigins.get(replica.key()));
        return new CopyExecutor.KnownCopy(job, executor.recordCompleted(job, location));
    }

    private CopyJob job(
            StoredReplica replica,
            ObjectStore store,
            Disk disk,
            CopyOrigins.Origin origin,
            Map<StoredReplica, SecretBackedStore> reachable) {
        if (origin instanceof CopyOrigins.Origin.Replica from) {
            ReplicaKey fromKey = from.replica().key();
            return new CopyJob(
                    replica.key(),
                    reachable.get(from.replica()).replica(fromKey, disk.sizeBytes()),
                    disk.sha256(),
                    disk.sizeBytes(),
                    store,
                    fromKey.region() + "/" + from.replica().store() + "/" + fromKey.index());
        }
        return new CopyJob(replica.key(), sources.source(disk.url()), disk.sha256(), disk.sizeBytes(), store);
    }

    private static ReplicaCopy withUrl(ReplicaCopy copy, StoredReplica replica) {
        return copy.state() instanceof CopyState.Completed completed
                ? new ReplicaCopy(
                        copy.state(),
                        copy.copiedFrom(),
                        ReplicaUrls.of(replica.storeSpec().orElseThrow(), completed.location()))
                : copy;
    }

    /**
     * Deletes replicas from their stores, every disk of each (the OS disk and the data disks {@code
     * luns}), each after stopping its copy, so that no late copy writes it again. Replicas whose store
     * left the catalogue cannot be reached and are skipped.
     *
     * @return the replicas that could not be deleted, with why
     */
    Map<StoredReplica, String> delete(List<StoredReplica> replicas, List<Integer> luns) {
        Map<StoredReplica, String> failures = new LinkedHashMap<>();
        for (StoredReplica replica : replicas) {
            try {
                if (replica.storeSpec().isPresent()) {
                    ObjectStore store = stores.open(replica.storeSpec().get(), storeClients);
                    for (StoredReplica disk : replica.withDataDisks(luns)) {
                        executor.cancel(disk.key(), store.endpoint())
                                .get(CANCEL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                        store.delete(disk.key());
                    }
                }
            } catch (StoreUnavailableException e) {
                failures.put(replica, e.getMessage());
            } catch (TimeoutException | ExecutionException e) {
                failures.put(replica, "its copy did not stop within " + CANCEL_TIMEOUT.toSeconds() + "s");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.put(replica, "interrupted while deleting it");
                break;
            }
        }
        return failures;
    }

    /** Drops what is remembered of a deleted version, stopping any copy it still has. */
    void forget(VersionKey version) {
        executor.cancelVersion(version);
        ResourceID owner = owners.remove(version);
        if (owner != null) {
            sourceChecks.forget(owner);
        }
        lastProgressEvent.remove(version);
        retryTokens.remove(version);
        awaiting.keySet().removeIf(disk -> disk.version().equals(version));
        unfinished.remove(version);
    }

    /**
     * A store Secret changed, or a store answers again: replicas that failed at a store (refused
     * credentials, an untrusted certificate, an outage, ...) are copied again, with what the Secrets
     * hold now, instead of waiting for a user to ask for a retry.
     */
    private void retryStoreFailures(String why) {
        List<ReplicaKey> retried =
                executor.resetWhere(failed -> StoreUnavailableException.STORE_REASONS.contains(failed.reason()));
        retried.forEach(key -> unfinished.merge(key.version(), List.of(key), ReplicationService::union));
        if (!retried.isEmpty()) {
            LOG.infof("As %s, copying %d replicas that failed at their store again", why, retried.size());
        }
        // Their status says Failed until they are told: a reset is not reported as a state change (below).
        retried.stream()
                .map(key -> owners.get(key.version()))
                .filter(Objects::nonNull)
                .distinct()
                .forEach(events::propagateEvent);
    }

    /**
     * The store audit found the replica, recorded Completed, gone or damaged in its store: its
     * completion is forgotten and its version reconciled, which checks it in the store as after a
     * restart and copies it again.
     */
    public void recopy(ReplicaKey key) {
        executor.known(key)
                .filter(known -> known.state() instanceof CopyState.Completed)
                .ifPresent(known -> executor.cancel(key, known.job().store().endpoint()));
        Optional.ofNullable(owners.get(key.version())).ifPresent(events::propagateEvent);
    }

    /**
     * Wakes a copy's owner when its status would show something new. Not for a copy just queued (the reconcile
     * that queued it writes its status), nor for progress before a status interval has passed since the last
     * report (or since the copies were started): a copy that ends within one interval costs no reconcile but
     * the one its end triggers. Nor for the end of a first replica that others waited for: they start from it
     * here, and their own ends (or progress) report it. A replica's end while others of its version still copy
     * is progress too: the version's last end reports them all, so a version costs one reconcile for its copies.
     */
    private void onStateChange(ReplicaKey key, CopyState state) {
        if (failedAtStore(state)) {
            stores.copyFailedAtStore(key.region());
        }
        ResourceID owner = owners.get(key.version());
        if (owner == null
                || state == CopyState.Pending.FRESH
                || (state instanceof CopyState.Completed && startAwaiting(key))) {
            return;
        }
        if (state instanceof CopyState.Copying || (state instanceof CopyState.Completed && othersUnfinished(key))) {
            Instant now = Instant.now();
            Instant last = lastProgressEvent.getOrDefault(key.version(), now);
            if (Duration.between(last, now).compareTo(statusInterval) < 0) {
                return;
            }
            lastProgressEvent.put(key.version(), now);
        } else if (state instanceof CopyState.Completed && unfinished.remove(key.version()) == null) {
            // Another copy of the version, which ended at the same moment, has reported the end of them all.
            return;
        }
        events.propagateEvent(owner);
    }

    private static boolean failedAtStore(CopyState state) {
        FailureReason reason = state instanceof CopyState.Failed failed
                ? failed.reason()
                : state instanceof CopyState.Pending pending ? pending.lastReason() : null;
        return reason != null && StoreUnavailableException.STORE_REASONS.contains(reason);
    }

    /**
     * Stops every copy at a point the next leader starts from (staging objects at most, nothing
     * committed half-way) and starts no new one; waits at most {@code timeout}.
     */
    public void stopCopies(Duration timeout) {
        if (!executor.shutdown(timeout)) {
            LOG.warnf(
                    "Copies still running %ss after they were told to stop; the process ends them",
                    timeout.toSeconds());
        }
    }

    @PreDestroy
    public void close() throws IOException {
        executor.close();
        sourceChecks.close();
        sources.close();
    }
}
