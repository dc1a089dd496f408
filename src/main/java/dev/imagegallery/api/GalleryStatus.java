package dev.imagegallery.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class GalleryStatus extends SharedStatus {
    @JsonPropertyDescription("Number of image definitions in the gallery.")
    public Integer imageDefinitionCount;

    @JsonPropertyDescription("Number of image versions of the gallery's definitions.")
    public Integer imageVersionCount;
}
