package dev.imagegallery.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class GallerySpec {
    @Size(max = 4096)
    @JsonPropertyDescription("What the gallery holds and who maintains it.")
    public String description;

    @JsonPropertyDescription("Who may read the gallery, all its image definitions and all their versions.")
    public Sharing sharing;
}
