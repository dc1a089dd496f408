package dev.imagegallery.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class RegionStatus extends ReconciledStatus {
    @JsonPropertyDescription("Stores whose endpoint answered the last probe, out of all stores, for example 2/3.")
    public String reachableStores;

    @JsonPropertyDescription("Load of each store: replicas it holds and bytes used against its capacity.")
    public List<StoreUsage> stores;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class StoreUsage {
        @JsonPropertyDescription("Name of the store.")
        public String name;

        @JsonPropertyDescription("Zone of the store, if the region has zones.")
        public String zone;

        @JsonPropertyDescription("Number of image version replicas placed on the store.")
        public Integer replicas;

        @JsonPropertyDescription("Bytes taken by the replicas placed on the store.")
        public Long bytesUsed;

        @JsonPropertyDescription("Capacity of the store in bytes; absent when unlimited.")
        public Long capacityBytes;

        @JsonPropertyDescription("Whether the store's endpoint answered the last probe.")
        public Boolean reachable;

        @JsonPropertyDescription("Why the store cannot be used, when it cannot: StoreUnavailable,"
                + " AuthenticationFailed, CertificateInvalid or BucketNotFound; the Ready condition says more.")
        public String reason;

        @JsonPropertyDescription("Objects in the store that no image version refers to, as the last store audit found"
                + " them; absent before the first audit and for stores that cannot be listed (WebDAV, registries)."
                + " The OrphanedObjects condition names some.")
        public Integer orphanedObjects;
    }
}
