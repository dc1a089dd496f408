package dev.imagegallery.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Who may read the object, and what lies below it (gallery → definitions → versions). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Sharing {
    @Size(max = 100)
    @JsonPropertyDescription(
            "Users, groups and service accounts granted read access to this object and the objects below it.")
    public List<Subject> subjects;
}
