package dev.imagegallery.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImageDefinitionStatus extends SharedStatus {
    @JsonPropertyDescription(
            "Highest Major.Minor.Patch among versions not excluded from latest and completed in every target region.")
    public String latestVersion;

    @JsonPropertyDescription(
            "Latest version per region: the highest version completed in that region and not excluded there.")
    public Map<String, String> latestVersionByRegion;

    @JsonPropertyDescription("Number of image versions of this definition.")
    public Integer imageVersionCount;

    @JsonPropertyDescription("What to consume in each region: its latest version (as in latestVersionByRegion) with"
            + " the addresses of its Completed replicas there. An entry moves only once the new latest is Completed in"
            + " its region, and in the same write as latestVersion, so it always names usable bytes.")
    public List<LatestInRegion> latest;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class LatestInRegion {
        @JsonPropertyDescription("Name of the region.")
        public String region;

        @JsonPropertyDescription("The region's latest version, Major.Minor.Patch.")
        public String version;

        @JsonPropertyDescription("Name of the ImageVersion holding it.")
        public String imageVersion;

        @JsonPropertyDescription("SHA-256 digest of the image's bytes (its spec.source.sha256); every replica was"
                + " verified against it.")
        public String sha256;

        @JsonPropertyDescription("Size of the image in bytes.")
        public Long sizeBytes;

        @JsonPropertyDescription("Addresses of the version's Completed replicas in the region, by replica index (see"
                + " ImageVersion status.replicationStatus.summary[].replicas[].url). The OS disk's.")
        public List<String> urls;

        @JsonPropertyDescription("The version's data disks, by LUN, each with the addresses of its copies in the"
                + " region's Completed replicas, in the order of urls.")
        public List<LatestDataDisk> dataDisks;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class LatestDataDisk extends DataDiskDigest {
        @JsonPropertyDescription("Addresses of the disk's copies, by replica index.")
        public List<String> urls;
    }
}
