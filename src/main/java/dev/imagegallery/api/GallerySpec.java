package dev.imagegallery.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class GallerySpec {
    @Size(max = 4096)
    @JsonPropertyDescription("What the gallery holds and who maintains it.")
    public String description;

    @JsonPropertyDescription("Who may read the gallery, all its image definitions and all their versions.")
    public Sharing sharing;

    @JsonPropertyDescription(
            "Keeps a deleted version's replicas in the stores for a while: re-creating the version with the same"
                    + " number and sha256 within that time restores it without copying a byte. Updatable; turning it"
                    + " off leaves the versions already soft-deleted until they expire.")
    public SoftDelete softDelete;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class SoftDelete {
        @Default("false")
        @JsonPropertyDescription("Whether deleted versions of the gallery's definitions are soft-deleted.")
        public Boolean enabled;

        @Default("7")
        @Min(1)
        @Max(30)
        @JsonPropertyDescription(
                "How many days a soft-deleted version's replicas are kept (1..30) before the operator deletes them.")
        public Integer retentionDays;
    }
}
