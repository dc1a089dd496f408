package dev.imagegallery.status;

/**
 * Every reason the operator gives, in conditions and in Events: one typed set, so that a reason is
 * named once, compared without typos, and documented (ReasonsDocumentedTest holds the README's
 * tables to it). Grouped by what they mean for the object.
 */
public enum Reason {
    // Ready=True.
    Available,
    StoresReachable,
    Replicated,

    // In progress (Reconciling=True): the operator keeps working, or waits for something that comes by itself.
    Replicating,
    GalleryNotFound,
    ImageDefinitionNotFound,
    DeletionBlocked,
    StoreUnreachable,
    SourceUnreachable,
    ReplicaDeletionFailed,

    // Stalled=True: only a change by the user or the admin helps.
    QuotaExceeded,
    IdentifierConflict,
    VersionConflict,
    RegionNotFound,
    CrossCloudReplication,
    RegionRestricted,
    ZoneRedundancyUnavailable,
    ReplicaCountExceeded,
    EndOfLifeInPast,
    RegionRemovalBlocked,
    RegionFailed,
    SourceNotAllowed,
    SubjectNotAllowed,
    EndpointConflict,

    // The other side of Reconciling and Stalled when they are False.
    Idle,
    NotStalled,

    // The EndOfLife condition.
    Supported,
    EndOfLifeReached,

    // A Region's OrphanedObjects condition: what the store audit found.
    OrphansFound,
    NoOrphans,

    // Warning Events only: replicas the operator had to leave where they are, a latest tag it could not move, a
    // replica the store audit found damaged.
    ReplicaLeftInPlace,
    ReplicasLeftInPlace,
    LatestTagNotMoved,
    ReplicaDamaged,
    VersionDeletionFailed,
    SoftDeleteSkipped,

    // Normal Events only: an orphan the store audit deleted (storeAudit.deleteOrphansAfter), a version deleted after
    // its end of life (spec.retention.deleteAfterEndOfLife of its definition), a version restored from a soft-deleted
    // one, a soft-deleted version's replicas deleted when it expired.
    OrphanDeleted,
    VersionDeleted,
    Restored,
    SoftDeleteExpired
}
