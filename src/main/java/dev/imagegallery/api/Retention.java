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

/** An image definition's retention of older versions' replicas: the newest few everywhere, the others where it says. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Retention {
    @Required
    @Min(1)
    @Max(1000)
    @JsonPropertyDescription(
            "How many of the newest versions (by version number, counting only versions not excluded from latest)"
                    + " keep replicas in all their target regions (1..1000). Versions older than the oldest of them"
                    + " keep replicas only where olderVersions says; excluded versions newer than it keep all theirs.")
    public Integer keepLatest;

    @Default("{\"keepIn\":\"SourceRegionOnly\"}")
    @JsonPropertyDescription("Where versions older than the newest keepLatest keep their replicas.")
    public OlderVersions olderVersions;

    @Size(max = 32)
    @ValidationRule(
            value = "self.matches('^([0-9]+([.][0-9]+)?(h|m|s))+$')",
            message = "must be a duration in hours, minutes and seconds, such as 720h, 1h30m or 0s")
    @JsonPropertyDescription(
            "When set, a version is deleted this long after its end of life (publishingProfile.endOfLifeDate), with"
                    + " an Event on its definition; a duration such as 720h (30 days) or 0s. Unset by default:"
                    + " versions are never deleted by the operator. A GitOps tool that still holds the manifest"
                    + " will create the version again: remove it from the repository too.")
    public String deleteAfterEndOfLife;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(
            value = "self.keepIn == 'Regions' ? has(self.regions) : !has(self.regions)",
            message = "olderVersions.regions is set with keepIn: Regions, and only then")
    public static class OlderVersions {
        @Default("SourceRegionOnly")
        @JsonPropertyDescription(
                "SourceRegionOnly: an older version keeps only the replicas of its source region (spec.sourceRegion)."
                        + " Regions: it keeps those of the regions listed in regions that it targets, or of its"
                        + " source region when it targets none of them.")
        public KeepIn keepIn;

        @Size(min = 1, max = 100)
        @ValidationRule(value = "self.all(r, self.exists_one(o, o == r))", message = "regions must be unique")
        @JsonPropertyDescription("With keepIn: Regions, the regions older versions keep replicas in.")
        public List<@Size(min = 1, max = 63) String> regions;
    }

    public enum KeepIn {
        SourceRegionOnly,
        Regions
    }
}
