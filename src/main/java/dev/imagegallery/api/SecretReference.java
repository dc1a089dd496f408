package dev.imagegallery.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A Secret in the operator's own namespace. */
public class SecretReference {
    @Required
    @Size(min = 1, max = 253)
    @JsonPropertyDescription("Name of the Secret, in the operator's namespace.")
    public String name;
}
