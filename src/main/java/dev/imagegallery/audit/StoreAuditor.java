package dev.imagegallery.audit;

import dev.imagegallery.api.Region;
import dev.imagegallery.api.Store;
import dev.imagegallery.audit.StoreAudit.Findings;
import dev.imagegallery.audit.StoreAudit.RecordedReplica;
import dev.imagegallery.config.StoreAuditConfig;
import dev.imagegallery.events.EventRecorder;
import dev.imagegallery.metrics.OperatorMetrics;
import dev.imagegallery.reconciler.VersionFeed;
import dev.imagegallery.reconciler.version.ReplicationService;
import dev.imagegallery.reconciler.version.SoftDeletes;
import dev.imagegallery.replication.ObjectStore;
import dev.imagegallery.replication.ObjectStore.StoredObject;
import dev.imagegallery.replication.ReplicaKey;
import dev.imagegallery.replication.StoreClients;
import dev.imagegallery.replication.StoreUnavailableException;
import dev.imagegallery.status.Reason;
import dev.imagegallery.stores.StoreConnector;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Audits the stores now and then ({@link StoreAuditConfig#interval}), one at a time on a thread of
 * its own: lists a store, compares it with the replicas on record ({@link StoreAudit}), keeps what
 * it found for the Region's status and the orphans metric, and has damaged replicas copied again,
 * each with a Warning Event on its version. It deletes only what deleteOrphansAfter allows.
 */
@Singleton
public class StoreAuditor {
    private static final Logger LOG = Logger.getLogger(StoreAuditor.class);

    private final StoreConnector stores;
    private final VersionFeed feed;
    private final SoftDeletes softDeletes;
    private final ReplicationService replication;
    private final EventRecorder events;
    private final OperatorMetrics metrics;
    private final Duration interval;
    private final Optional<Duration> deleteOrphansAfter;
    /** When each orphan of a store was first found, for deleteOrphansAfter. */
    private final Map<StoreId, Map<String, Instant>> orphanSince = new ConcurrentHashMap<>();

    private final StoreClients clients = new StoreClients(Duration.ofSeconds(10));
    private final ExecutorService auditing = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "store-audit");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<StoreId, Audit> audits = new ConcurrentHashMap<>();
    /** When each store's last audit started, whether or not it could list the store: the next is due an interval later. */
    private final Map<StoreId, Instant> attempts = new ConcurrentHashMap<>();
    /** Regions with a round of audits queued or running. */
    private final Set<String> queued = ConcurrentHashMap.newKeySet();

    private record StoreId(String region, String store) {}

    /**
     * The last audit of a store.
     *
     * @param findings what it found; empty when the store's kind cannot list its objects
     */
    public record Audit(Optional<Findings> findings) {}

    public StoreAuditor(
            StoreConnector stores,
            VersionFeed feed,
            ReplicationService replication,
            EventRecorder events,
            OperatorMetrics metrics,
            StoreAuditConfig config,
            SoftDeletes softDeletes) {
        this.softDeletes = softDeletes;
        this.stores = stores;
        this.feed = feed;
        this.replication = replication;
        this.events = events;
        this.metrics = metrics;
        this.interval = config.interval();
        this.deleteOrphansAfter = config.deleteOrphansAfter();
    }

    /** How soon a Region should be looked at again for its next audit; empty when audits are off. */
    public Optional<Duration> interval() {
        return interval.isZero() ? Optional.empty() : Optional.of(interval);
    }

    /**
     * Queues an audit of the Region's {@code reachable} stores whose last one is older than the
     * interval; {@code audited} hears the Region's name once they all ended, so that its status
     * changes at most once a round (and not at all when nothing changed, as after a restart).
     */
    public void auditDue(Region region, Set<String> reachable, Consumer<String> audited) {
        if (interval().isEmpty()) {
            return;
        }
        String regionName = region.getMetadata().getName();
        Instant due = Instant.now().minus(interval);
        List<Store> dueStores = region.getSpec().stores.stream()
                .filter(store -> reachable.contains(store.name))
                .filter(store -> Optional.ofNullable(attempts.get(new StoreId(regionName, store.name)))
                        .map(last -> last.isBefore(due))
                        .orElse(true))
                .toList();
        if (!dueStores.isEmpty() && queued.add(regionName)) {
            auditing.execute(() -> {
                try {
                    dueStores.forEach(store -> audit(region, new StoreId(regionName, store.name), store));
                    audited.accept(regionName);
                } finally {
                    queued.remove(regionName);
                }
            });
        }
    }

    /** The last audit of each of the Region's stores that had one. */
    public Map<String, Audit> audits(String region) {
        return audits.entrySet().stream()
                .filter(e -> e.getKey().region().equals(region))
                .collect(Collectors.toMap(e -> e.getKey().store(), Map.Entry::getValue));
    }

    private void audit(Region region, StoreId id, Store spec) {
        attempts.put(id, Instant.now());
        List<RecordedReplica> before = StoreAudit.recorded(feed.all(), id.region(), id.store());
        ObjectStore store = stores.open(spec, clients);
        Optional<List<StoredObject>> listing;
        try {
            listing = store.list();
        } catch (StoreUnavailableException | RuntimeException e) {
            // The Region's probe reports an unreachable store; what the last audit found stands until the next one.
            LOG.warnf("Could not audit store %s of Region %s: %s", id.store(), id.region(), e.getMessage());
            return;
        }
        if (listing.isEmpty()) {
            audits.put(id, new Audit(Optional.empty()));
            return;
        }
        List<RecordedReplica> after = StoreAudit.recorded(feed.all(), id.region(), id.store());
        Findings audited = StoreAudit.audit(listing.get(), before, after);
        // A soft-deleted version's replicas are its gallery's to keep, not orphans.
        Set<String> softDeleted = softDeletes.paths(id.region(), id.store()).collect(Collectors.toSet());
        Findings findings = deleteOrphansPastGrace(
                region,
                id,
                store,
                listing.get(),
                new Findings(
                        audited.orphans().stream()
                                .filter(orphan -> !softDeleted.contains(orphan))
                                .toList(),
                        audited.damaged()));
        audits.put(id, new Audit(Optional.of(findings)));
        metrics.orphanedObjects(id.region(), id.store(), () -> orphans(id));
        for (StoreAudit.Damaged damaged : findings.damaged()) {
            // Still recorded Completed in the same store now: not deleted or moved while the audit listed.
            if (after.stream()
                    .anyMatch(r ->
                            r.completed() && r.key().equals(damaged.replica().key()))) {
                var key = damaged.replica().key();
                events.warning(
                        damaged.replica().version(),
                        Reason.ReplicaDamaged,
                        "Replica " + key.index() + (key.isOsDisk() ? "" : " (data disk LUN " + key.lun() + ")")
                                + " of region " + key.region() + " in store " + id.store() + " " + damaged.problem()
                                + ": copying it again");
                replication.recopy(key);
            }
        }
        if (!findings.orphans().isEmpty() || !findings.damaged().isEmpty()) {
            LOG.infof(
                    "Audit of store %s of Region %s: %d orphaned objects, %d damaged replicas",
                    id.store(),
                    id.region(),
                    findings.orphans().size(),
                    findings.damaged().size());
        }
    }

    /**
     * With deleteOrphansAfter set: deletes the orphans the operator wrote (a replica's path and its
     * marker) that every audit for that long found unreferenced, and that no version refers to now
     * either; returns the findings without them.
     */
    private Findings deleteOrphansPastGrace(
            Region region, StoreId id, ObjectStore store, List<StoredObject> listing, Findings findings) {
        if (deleteOrphansAfter.isEmpty()) {
            return findings;
        }
        Map<String, Instant> since = orphanSince.computeIfAbsent(id, k -> new ConcurrentHashMap<>());
        since.keySet().retainAll(findings.orphans());
        Instant now = Instant.now();
        findings.orphans().forEach(orphan -> since.putIfAbsent(orphan, now));
        Set<String> listed = listing.stream().map(StoredObject::path).collect(Collectors.toSet());
        Set<String> referenced = Stream.concat(
                        StoreAudit.recorded(feed.all(), id.region(), id.store()).stream()
                                .map(r -> r.key().objectPath()),
                        softDeletes.paths(id.region(), id.store()))
                .collect(Collectors.toSet());
        List<String> deleted = new ArrayList<>();
        for (String orphan : findings.orphans()) {
            Optional<ReplicaKey> replica = StoreAudit.writtenByOperator(orphan, id.region(), listed);
            if (replica.isEmpty()
                    || referenced.contains(orphan)
                    || since.get(orphan).plus(deleteOrphansAfter.get()).isAfter(now)) {
                continue;
            }
            try {
                store.delete(replica.get());
                deleted.add(orphan);
                since.remove(orphan);
                events.normal(
                        region,
                        Reason.OrphanDeleted,
                        "Deleted " + orphan + " and its marker from store " + id.store()
                                + ": no image version referred to it for "
                                + deleteOrphansAfter.get().toSeconds() + " s (storeAudit.deleteOrphansAfter)");
            } catch (StoreUnavailableException e) {
                LOG.warnf("Could not delete orphan %s from store %s: %s", orphan, id.store(), e.getMessage());
            }
        }
        return new Findings(
                findings.orphans().stream().filter(o -> !deleted.contains(o)).toList(), findings.damaged());
    }

    /** The orphans of the store's last audit, NaN once it is no longer audited or cannot be listed. */
    private double orphans(StoreId id) {
        Audit audit = audits.get(id);
        return audit == null || audit.findings().isEmpty()
                ? Double.NaN
                : audit.findings().get().orphans().size();
    }

    @PreDestroy
    public void close() {
        auditing.shutdownNow();
    }
}
