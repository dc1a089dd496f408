package dev.imagegallery.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * Immutability follows the model's update table: only recommended resources, description,
 * end-of-life date, release notes (and sharing) may change after creation.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "self.galleryName == oldSelf.galleryName",
        fieldPath = ".galleryName",
        message = "spec.galleryName is immutable: an image definition cannot move to another gallery")
@ValidationRule(
        value = "self.identifier == oldSelf.identifier",
        fieldPath = ".identifier",
        message = "spec.identifier is immutable: publisher, offer and sku are fixed at creation")
@ValidationRule(value = "self.osType == oldSelf.osType", fieldPath = ".osType", message = "spec.osType is immutable")
@ValidationRule(
        value = "self.osState == oldSelf.osState",
        fieldPath = ".osState",
        message = "spec.osState is immutable")
@ValidationRule(
        value = "self.hyperVGeneration == oldSelf.hyperVGeneration",
        fieldPath = ".hyperVGeneration",
        message = "spec.hyperVGeneration is immutable")
@ValidationRule(
        value = "self.architecture == oldSelf.architecture",
        fieldPath = ".architecture",
        message = "spec.architecture is immutable")
@ValidationRule(
        value =
                "has(self.features) == has(oldSelf.features) && (!has(self.features) || self.features == oldSelf.features)",
        message = "spec.features is immutable")
@ValidationRule(
        value =
                "has(self.disallowed) == has(oldSelf.disallowed) && (!has(self.disallowed) || self.disallowed == oldSelf.disallowed)",
        message = "spec.disallowed is immutable")
@ValidationRule(
        value =
                "has(self.purchasePlan) == has(oldSelf.purchasePlan) && (!has(self.purchasePlan) || self.purchasePlan == oldSelf.purchasePlan)",
        message = "spec.purchasePlan is immutable")
@ValidationRule(
        value = "has(self.eula) == has(oldSelf.eula) && (!has(self.eula) || self.eula == oldSelf.eula)",
        message = "spec.eula is immutable")
@ValidationRule(
        value =
                "has(self.privacyStatementUri) == has(oldSelf.privacyStatementUri) && (!has(self.privacyStatementUri) || self.privacyStatementUri == oldSelf.privacyStatementUri)",
        message = "spec.privacyStatementUri is immutable")
public class ImageDefinitionSpec {
    @Required
    @Size(min = 1, max = 80)
    @JsonPropertyDescription("Name of the Gallery, in the same namespace, this definition belongs to. Immutable.")
    public String galleryName;

    @Required
    @JsonPropertyDescription("Publisher, offer and SKU; the triple is unique within the gallery. Immutable.")
    public Identifier identifier;

    @Required
    @JsonPropertyDescription("Operating system of the image: Linux or Windows. Immutable.")
    public OsType osType;

    @Required
    @JsonPropertyDescription("Generalized (machine-specific data removed) or Specialized. Immutable.")
    public OsState osState;

    @Default("V1")
    @JsonPropertyDescription("Hyper-V generation of the virtual machines made from the image: V1 or V2. Immutable.")
    public HyperVGeneration hyperVGeneration;

    @Default("x64")
    @JsonPropertyDescription("CPU architecture of the image: x64 or Arm64. Immutable.")
    public Architecture architecture;

    @Size(max = 32)
    @ValidationRule(
            value = "self.all(f, self.exists_one(o, o.name == f.name))",
            message = "feature names must be unique")
    @JsonPropertyDescription(
            "Features the image supports, as name/value pairs (for example SecurityType=TrustedLaunch). Immutable.")
    public List<Feature> features;

    @JsonPropertyDescription("Recommended virtual machine sizes for the image. Updatable.")
    public Recommended recommended;

    @JsonPropertyDescription("Disk types that must not be used with the image. Immutable.")
    public Disallowed disallowed;

    @JsonPropertyDescription("Marketplace purchase plan of the image. Immutable.")
    public PurchasePlan purchasePlan;

    @ValidationRule(value = EndOfLife.RULE, message = EndOfLife.MESSAGE)
    @Size(max = 64)
    @JsonPropertyDescription("Date (2027-12-31) or RFC 3339 time after which the definition is end of life. Updatable.")
    public String endOfLifeDate;

    @Size(max = 4096)
    @JsonPropertyDescription("What the image is for. Updatable.")
    public String description;

    @Size(max = 4096)
    @JsonPropertyDescription("End-user license agreement of the image. Immutable.")
    public String eula;

    @Size(max = 2048)
    @ValidationRule(value = Uris.RULE, message = Uris.MESSAGE)
    @JsonPropertyDescription("URL of the privacy statement. Immutable.")
    public String privacyStatementUri;

    @Size(max = 2048)
    @ValidationRule(value = Uris.RULE, message = Uris.MESSAGE)
    @JsonPropertyDescription("URL of the release notes. Updatable.")
    public String releaseNoteUri;

    @JsonPropertyDescription("Who may read this definition and all its versions.")
    public Sharing sharing;

    @JsonPropertyDescription(
            "Where versions older than the newest few keep their replicas, to save the cost of copies nobody starts"
                    + " machines from. The operator never edits a version's spec: each version's status.retention"
                    + " shows the regions it keeps. Updatable.")
    public Retention retention;

    public enum OsType {
        Linux,
        Windows
    }

    public enum OsState {
        Generalized,
        Specialized
    }

    public enum HyperVGeneration {
        V1,
        V2
    }

    public enum Architecture {
        x64,
        Arm64
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Identifier {
        @Required
        @Size(min = 1, max = 128)
        @ValidationRule(value = IdentifierPart.RULE, message = IdentifierPart.MESSAGE)
        @JsonPropertyDescription("Publisher of the image, at most 128 characters.")
        public String publisher;

        @Required
        @Size(min = 1, max = 64)
        @ValidationRule(value = IdentifierPart.RULE, message = IdentifierPart.MESSAGE)
        @JsonPropertyDescription("Offer (product line) of the image, at most 64 characters.")
        public String offer;

        @Required
        @Size(min = 1, max = 64)
        @ValidationRule(value = IdentifierPart.RULE, message = IdentifierPart.MESSAGE)
        @JsonPropertyDescription("SKU (edition) of the image, at most 64 characters.")
        public String sku;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Feature {
        @Required
        @Size(min = 1, max = 64)
        @JsonPropertyDescription("Name of the feature.")
        public String name;

        @Required
        @Size(max = 256)
        @JsonPropertyDescription("Value of the feature.")
        public String value;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Recommended {
        @JsonProperty("vCPUs")
        @JsonPropertyDescription("Recommended number of virtual CPUs.")
        public ResourceRange vCPUs;

        @JsonProperty("memoryGiB")
        @JsonPropertyDescription("Recommended memory in GiB.")
        public ResourceRange memoryGiB;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(
            value = "!has(self.min) || !has(self.max) || self.min <= self.max",
            message = "min must not be greater than max")
    public static class ResourceRange {
        @Min(1)
        @Max(16384)
        @JsonPropertyDescription("Lowest recommended amount (1..16384).")
        public Integer min;

        @Min(1)
        @Max(16384)
        @JsonPropertyDescription("Highest recommended amount (1..16384).")
        public Integer max;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Disallowed {
        @Size(max = 16)
        @JsonPropertyDescription("Disk types (for example Standard_LRS) that must not be used with the image.")
        public List<@Size(max = 64) String> diskTypes;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class PurchasePlan {
        @Required
        @Size(min = 1, max = 128)
        @JsonPropertyDescription("Plan name.")
        public String name;

        @Required
        @Size(min = 1, max = 128)
        @JsonPropertyDescription("Publisher of the plan.")
        public String publisher;

        @Required
        @Size(min = 1, max = 128)
        @JsonPropertyDescription("Product of the plan.")
        public String product;
    }

    /** Publisher, offer and sku share one rule. */
    static final class IdentifierPart {
        static final String RULE = "self.matches('^[A-Za-z0-9_.-]*[A-Za-z0-9_-]$')";
        static final String MESSAGE = "must contain only letters, digits, '-', '_' and '.', and must not end with '.'";
    }

    static final class Uris {
        static final String RULE = "self.matches('^https?://[^/ ]+')";
        static final String MESSAGE = "must be an http:// or https:// URL";
    }
}
