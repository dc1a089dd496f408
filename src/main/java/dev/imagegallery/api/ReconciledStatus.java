package dev.imagegallery.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** What every kind's status starts with: the generation acted on and the kstatus conditions. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class ReconciledStatus {
    @JsonPropertyDescription("The metadata.generation the operator last acted on.")
    public Long observedGeneration;

    @JsonPropertyDescription(
            "Current state: Ready, Reconciling and Stalled (kstatus semantics), plus kind-specific conditions.")
    public List<Condition> conditions;
}
