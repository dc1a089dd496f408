package dev.imagegallery.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** The status of a kind that can be shared: what the operator observed, plus the sharing in effect. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class SharedStatus extends ReconciledStatus {
    @JsonPropertyDescription("The read access in effect from spec.sharing; absent when the object is not shared.")
    public EffectiveSharing sharing;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class EffectiveSharing {
        @JsonPropertyDescription(
                "Subjects granted read access, as Kind/name (ServiceAccount as ServiceAccount/namespace/name).")
        public List<String> subjects;

        @JsonPropertyDescription("How many objects (this one and those below it) the subjects can read.")
        public Integer objects;

        @JsonPropertyDescription("Name of the Role (and RoleBinding) in this namespace that grants the access.")
        public String role;
    }
}
