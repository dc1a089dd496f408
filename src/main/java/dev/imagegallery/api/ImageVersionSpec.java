package dev.imagegallery.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * Updatable after creation, per the model's update table: target regions and their replica
 * counts, the common replica count, exclude-from-latest and end of life (plus safety and sharing).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "self.publishingProfile.targetRegions.exists(r, r.name == self.sourceRegion)",
        fieldPath = ".sourceRegion",
        message = "spec.sourceRegion must be one of spec.publishingProfile.targetRegions")
@ValidationRule(
        value = "self.imageDefinitionName == oldSelf.imageDefinitionName",
        fieldPath = ".imageDefinitionName",
        message = "spec.imageDefinitionName is immutable: a version cannot move to another image definition")
@ValidationRule(
        value = "self.version == oldSelf.version",
        fieldPath = ".version",
        message = "spec.version is immutable: publish a new ImageVersion instead")
@ValidationRule(
        value = "self.sourceRegion == oldSelf.sourceRegion",
        fieldPath = ".sourceRegion",
        message = "spec.sourceRegion is immutable")
@ValidationRule(
        value = "self.source == oldSelf.source",
        fieldPath = ".source",
        message = "spec.source is immutable: the bytes of a published version never change")
@ValidationRule(
        value = "has(self.dataDisks) == has(oldSelf.dataDisks)"
                + " && (!has(self.dataDisks) || self.dataDisks == oldSelf.dataDisks)",
        fieldPath = ".dataDisks",
        message = "spec.dataDisks is immutable: the bytes of a published version never change")
@ValidationRule(
        value = "!has(self.dataDisks) || self.publishingProfile.targetRegions.map(r, has(r.regionalReplicaCount)"
                + " ? r.regionalReplicaCount : has(self.publishingProfile.replicaCount)"
                + " ? self.publishingProfile.replicaCount : 1).sum() * (1 + size(self.dataDisks)) <= "
                + ImageVersionSpec.MAX_DISK_COPIES,
        fieldPath = ".dataDisks",
        message = "the disks of all replicas together (the replicas of all target regions, times 1 + the number"
                + " of data disks) must be at most " + ImageVersionSpec.MAX_DISK_COPIES
                + ", so that the status can show each: fewer replicas or fewer data disks")
@ValidationRule(
        value = "self.publishingProfile.storageAccountType == oldSelf.publishingProfile.storageAccountType",
        fieldPath = ".publishingProfile.storageAccountType",
        message = "spec.publishingProfile.storageAccountType is immutable")
public class ImageVersionSpec {
    @Required
    @Size(min = 1, max = 253)
    @JsonPropertyDescription("Name of the ImageDefinition, in the same namespace, this is a version of. Immutable.")
    public String imageDefinitionName;

    @Required
    @Size(min = 5, max = 32)
    @ValidationRule(
            value = "self.matches('" + VersionFormat.PATTERN + "')",
            message = "must be Major.Minor.Patch: three non-negative integers without leading zeros, for example 1.0.0")
    @ValidationRule(
            value = "!self.matches('" + VersionFormat.PATTERN + "') || self.split('.').all(p, int(p) <= 2147483647)",
            message = "each of Major, Minor and Patch must be at most 2147483647 (a 32-bit integer)")
    @JsonPropertyDescription(
            "Version number Major.Minor.Patch, each part a 32-bit non-negative integer; unique within the definition. Immutable.")
    public String version;

    @Required
    @Size(min = 1, max = 63)
    @JsonPropertyDescription("Region the source bytes are in; must be one of the target regions. Immutable.")
    public String sourceRegion;

    @Required
    @JsonPropertyDescription("Where the image's bytes come from, and their digest. Immutable.")
    public Source source;

    @Size(max = 64)
    @ValidationRule(
            value = "self.all(d, self.exists_one(o, o.lun == d.lun))",
            message = "each data disk's lun must be unique: two data disks cannot share a LUN")
    @JsonPropertyDescription("The image's data disks beside its OS disk (spec.source), by LUN: every replica holds"
            + " each of them, copied and verified like the OS disk. Immutable.")
    public List<DataDisk> dataDisks;

    @Required
    @JsonPropertyDescription("Where and how the version is replicated.")
    public PublishingProfile publishingProfile;

    @Default("{}")
    @JsonPropertyDescription("Protections against deleting replicas or the version too early.")
    public SafetyProfile safetyProfile;

    @JsonPropertyDescription("Who may read this version.")
    public Sharing sharing;

    /** 64 TiB: an image larger than any disk the clouds offer is a mistake, and bounds what a namespace's byte quota adds up. */
    public static final double MAX_SIZE_BYTES = 70368744177664.0;
    /** The disks of all replicas of a version together, each shown in its status. */
    public static final int MAX_DISK_COPIES = 4000;
    /** The highest LUN a data disk may have. */
    public static final int MAX_LUN = 63;

    private static final String MAX_SIZE_BYTES_CEL = "70368744177664";

    /** Replicas of one version in all its regions together: bounds the version's status (one entry per replica) well under etcd's object limit. */
    public static final int MAX_TOTAL_REPLICAS = 1000;

    /** file:///path, http(s)://host..., s3://bucket/key, oci://host[:port]/repository@sha256:digest. */
    static final String SOURCE_URL_PATTERN = "^(file:///|https?://[^/]+|s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/.+"
            + "|oci://[^/]+/[^@]+@sha256:[a-f0-9]{64}$)";

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Source {
        @Required
        @Size(min = 1, max = 2048)
        @ValidationRule(
                value = "self.matches('" + SOURCE_URL_PATTERN + "')",
                message = "must be a file:///path, an http(s)://host URL, an s3://bucket/key or an"
                        + " oci://host[:port]/repository@sha256:<64 hex digits> URL")
        @ValidationRule(
                value = "!self.matches('^[a-z0-9]+://[^/]*@')",
                message = "must not hold credentials (user:password@host): the operator reads s3:// and oci://"
                        + " sources with the credentials of the Region store that covers them")
        @JsonPropertyDescription("URL of the image bytes: file:///path, http(s)://, s3://bucket/key or"
                + " oci://host/repository@sha256:digest (a containerDisk image: its /disk/ file is the image)."
                + " s3:// and oci:// sources are read with the credentials of the Region store whose endpoint"
                + " covers them. The operator reads only what its administrator allows"
                + " (image-gallery.sources.allowed-url-prefixes).")
        public String url;

        @Required
        @Size(min = 64, max = 64)
        @ValidationRule(
                value = "self.matches('^[a-f0-9]{64}$')",
                message = "must be a SHA-256 digest: 64 lower-case hexadecimal characters")
        @JsonPropertyDescription(
                "SHA-256 digest of the bytes, 64 lower-case hex characters; every replica is verified against it.")
        public String sha256;

        @Min(0)
        @Max(MAX_SIZE_BYTES)
        @ValidationRule(
                value = "self <= " + MAX_SIZE_BYTES_CEL,
                message = "must be at most 64 TiB (" + MAX_SIZE_BYTES_CEL + " bytes)")
        @JsonPropertyDescription("Size of the image in bytes, at most 64 TiB; read from the source when omitted.")
        public Long sizeBytes;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(
            value = "has(self.source.sizeBytes)",
            fieldPath = ".source.sizeBytes",
            message = "a data disk's source.sizeBytes is required: quotas and placement count every disk before"
                    + " anything is copied")
    public static class DataDisk {
        @Required
        @Min(0)
        @Max(MAX_LUN)
        @JsonPropertyDescription("Logical unit number of the disk on the machine, 0..63, unique within the version.")
        public Integer lun;

        @Required
        @JsonPropertyDescription("Where the disk's bytes come from, and their digest; read as spec.source is.")
        public Source source;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(
            value = "self.targetRegions.map(r, has(r.regionalReplicaCount) ? r.regionalReplicaCount"
                    + " : has(self.replicaCount) ? self.replicaCount : 1).sum() <= " + MAX_TOTAL_REPLICAS,
            message =
                    "the replicas of all target regions together (each regionalReplicaCount, else replicaCount) must be at most "
                            + MAX_TOTAL_REPLICAS)
    public static class PublishingProfile {
        @Required
        @Size(min = 1, max = 100)
        @ValidationRule(
                value = "self.all(r, self.exists_one(o, o.name == r.name))",
                message = "target region names must be unique")
        @JsonPropertyDescription("Regions the version is replicated to (1..100), each at most once.")
        public List<TargetRegion> targetRegions;

        @Default("1")
        @Min(1)
        @Max(100)
        @JsonPropertyDescription("Replicas in every target region that sets no regionalReplicaCount (1..100).")
        public Integer replicaCount;

        @Default("false")
        @JsonPropertyDescription(
                "When true, this version is never reported as the definition's latest; clear it to promote the version.")
        public Boolean excludeFromLatest;

        @Size(max = 64)
        @ValidationRule(value = EndOfLife.RULE, message = EndOfLife.MESSAGE)
        @JsonPropertyDescription(
                "Date (2027-12-31) or RFC 3339 time after which the version is end of life; must be in the future when set.")
        public String endOfLifeDate;

        @Default("Standard_LRS")
        @JsonPropertyDescription(
                "Storage type of replicas in regions that set none: Standard_LRS, Standard_ZRS (regions with zones only) or Premium_LRS. Immutable.")
        public StorageAccountType storageAccountType;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class TargetRegion {
        @Required
        @Size(min = 1, max = 63)
        @JsonPropertyDescription("Name of a Region object.")
        public String name;

        @Min(1)
        @Max(100)
        @JsonPropertyDescription("Replicas in this region (1..100); publishingProfile.replicaCount when omitted.")
        public Integer regionalReplicaCount;

        @JsonPropertyDescription(
                "Storage type of the replicas in this region; publishingProfile.storageAccountType when omitted.")
        public StorageAccountType storageAccountType;

        @JsonPropertyDescription(
                "When true, this version is not the latest in this region, whatever the common flag says.")
        public Boolean excludeFromLatest;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class SafetyProfile {
        @Default("true")
        @JsonPropertyDescription("When false, removing a target region that holds replicas is refused.")
        public Boolean allowDeletionOfReplicatedLocations;

        @Default("false")
        @JsonPropertyDescription(
                "When true, the version cannot be deleted before its end-of-life date: the admission policy the chart installs refuses the deletion; without it, a deleted version is kept, Terminating, until the date.")
        public Boolean blockDeletionBeforeEndOfLife;
    }

    static final class VersionFormat {
        static final String PATTERN = "^(0|[1-9][0-9]{0,9})[.](0|[1-9][0-9]{0,9})[.](0|[1-9][0-9]{0,9})$";

        private VersionFormat() {}
    }
}
