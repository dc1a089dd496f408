package dev.imagegallery.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
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
}
