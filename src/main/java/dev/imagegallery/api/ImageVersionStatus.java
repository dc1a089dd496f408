package dev.imagegallery.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImageVersionStatus extends SharedStatus {
    @JsonPropertyDescription("Size of the image in bytes, as declared or read from the source.")
    public Long sizeBytes;

    @JsonPropertyDescription("Replication state per target region and in aggregate.")
    public ReplicationStatus replicationStatus;

    @JsonPropertyDescription(
            "Where the image definition's spec.retention keeps this version's replicas; absent without a retention"
                    + " policy. Ready is judged against these regions.")
    public RetentionStatus retention;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class RetentionStatus {
        @JsonPropertyDescription(
                "True while the version is among the newest spec.retention.keepLatest of its definition (or newer"
                        + " than the oldest of them): it keeps replicas in all its target regions.")
        public Boolean newest;

        @JsonPropertyDescription("The target regions the version keeps replicas in.")
        public List<String> targetRegions;

        @JsonPropertyDescription("Why, in words.")
        public String details;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class ReplicationStatus {
        @JsonPropertyDescription(
                "Completed when every target region is Completed; Failed when any is Failed; else InProgress or Unknown.")
        public AggregatedState aggregatedState;

        @JsonPropertyDescription("Target regions Completed out of all target regions, for example 2/3.")
        public String regions;

        @JsonPropertyDescription("Replication state of each target region.")
        public List<RegionReplication> summary;

        @JsonPropertyDescription(
                "Folder of this version's replicas in every store (namespace/gallery/definition/version); replica N is the object <storagePath>/N.")
        public String storagePath;

        @JsonPropertyDescription(
                "Replicas no longer wanted (region removed, fewer replicas, store gone) whose deletion from their store failed and is retried.")
        public List<ReplicaRemoval> pendingRemovals;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class ReplicaRemoval {
        @JsonPropertyDescription("Region of the replica.")
        public String region;

        @JsonPropertyDescription("Number of the replica within the region.")
        public Integer index;

        @JsonPropertyDescription("Store still holding the replica.")
        public String store;

        @JsonPropertyDescription("Why deleting it failed last time.")
        public String details;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class RegionReplication {
        @JsonPropertyDescription("Name of the target region.")
        public String region;

        @JsonPropertyDescription(
                "Unknown, Replicating, Completed or Failed; the version is usable in the region only when Completed.")
        public RegionState state;

        @JsonPropertyDescription("Percentage (0..100) of the region's replica bytes copied and verified.")
        public Integer progress;

        @JsonPropertyDescription("Why the region is in this state, in words.")
        public String details;

        @JsonPropertyDescription("Where each replica of the region lives and how far its copy is.")
        public List<Replica> replicas;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Replica {
        @JsonPropertyDescription("Number of the replica within the region, from 0.")
        public Integer index;

        @JsonPropertyDescription("Store holding the replica.")
        public String store;

        @JsonPropertyDescription("Zone of that store, if the region has zones.")
        public String zone;

        @JsonPropertyDescription("Unknown, Replicating, Completed or Failed.")
        public RegionState state;

        @JsonPropertyDescription("Percentage (0..100) of the replica's bytes copied and verified.")
        public Integer progress;

        @JsonPropertyDescription("Where a consumer reads the replica, once Completed: the store's readEndpoint (or"
                + " endpoint), '/', and the replica's path: https://.../<path>, s3://<bucket>/<key>,"
                + " oci://<host>/<repository>:<version>@sha256:<manifest digest>, or file:///... (meaningful only where"
                + " the same volume is mounted).")
        public String url;

        @JsonPropertyDescription("What the replica was copied from: 'source' (spec.source.url), or the complete"
                + " replica it was copied on from, as <region>/<store>/<index>: a version reads its source once, into"
                + " its source region, and fans out from there.")
        public String copiedFrom;

        @JsonPropertyDescription("Each data disk of the replica (spec.dataDisks), by LUN; the replica's own state is"
                + " that of its least advanced disk, OS disk included.")
        public List<DataDiskReplica> dataDisks;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class DataDiskReplica {
        @JsonPropertyDescription("LUN of the data disk.")
        public Integer lun;

        @JsonPropertyDescription("Unknown, Replicating, Completed or Failed.")
        public RegionState state;

        @JsonPropertyDescription("Percentage (0..100) of the disk's bytes copied and verified.")
        public Integer progress;

        @JsonPropertyDescription("Where a consumer reads the data disk, once Completed (as the replica's url).")
        public String url;
    }

    public enum AggregatedState {
        Unknown,
        InProgress,
        Completed,
        Failed
    }

    public enum RegionState {
        Unknown,
        Replicating,
        Completed,
        Failed
    }
}
