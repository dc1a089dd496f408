package dev.imagegallery.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class GalleryStatus extends SharedStatus {
    @JsonPropertyDescription("Number of image definitions in the gallery.")
    public Integer imageDefinitionCount;

    @JsonPropertyDescription("Number of image versions of the gallery's definitions.")
    public Integer imageVersionCount;

    @JsonPropertyDescription(
            "Versions deleted while spec.softDelete was on, whose replicas stay in the stores until expiresAt;"
                    + " re-create one with the same number and sha256 to restore it. The operator's record of them:"
                    + " the store audit counts their replicas as referenced.")
    public List<SoftDeletedVersion> softDeletedVersions;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class SoftDeletedVersion {
        @JsonPropertyDescription("Name of the ImageDefinition the version belonged to.")
        public String imageDefinition;

        @JsonPropertyDescription("The version number, Major.Minor.Patch.")
        public String version;

        @JsonPropertyDescription("Name the ImageVersion had.")
        public String name;

        @JsonPropertyDescription("SHA-256 of the image, which a re-created version must declare to be restored.")
        public String sha256;

        @JsonPropertyDescription("Size of a replica's OS disk in bytes.")
        public Long sizeBytes;

        @JsonPropertyDescription(
                "Its data disks, kept beside each replica's OS disk; a re-created version is restored only with the"
                        + " same ones.")
        public List<DataDiskDigest> dataDisks;

        @JsonPropertyDescription("When the version was deleted (RFC 3339).")
        public String deletedAt;

        @JsonPropertyDescription("When its replicas are deleted unless it is restored (RFC 3339).")
        public String expiresAt;

        @JsonPropertyDescription("Its verified replicas, left in their stores.")
        public List<SoftDeletedReplica> replicas;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class SoftDeletedReplica {
        @JsonPropertyDescription("Region of the replica.")
        public String region;

        @JsonPropertyDescription("Index of the replica in its region.")
        public Integer index;

        @JsonPropertyDescription("Store holding the replica.")
        public String store;
    }
}
