package dev.imagegallery.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** One observation of the object's state, in the shape of metav1.Condition (kstatus reads it). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Condition {
    @Required
    @Size(max = 316)
    @JsonPropertyDescription(
            "Type of condition in CamelCase: Ready, Reconciling, Stalled, or a kind-specific one such as EndOfLife.")
    public String type;

    @Required
    @JsonPropertyDescription("Status of the condition: True, False or Unknown.")
    public ConditionStatus status;

    @Size(max = 1024)
    @JsonPropertyDescription("Machine-readable, one-word CamelCase reason for the condition's last transition.")
    public String reason;

    @Size(max = 32768)
    @JsonPropertyDescription("Human-readable message with details about the transition.")
    public String message;

    @JsonPropertyDescription("Last time the condition's status changed (RFC 3339).")
    public String lastTransitionTime;

    @JsonPropertyDescription(
            "The metadata.generation the condition was set for; behind the object's generation means stale.")
    public Long observedGeneration;

    public enum ConditionStatus {
        True,
        False,
        Unknown
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Condition c
                && Objects.equals(type, c.type)
                && status == c.status
                && Objects.equals(reason, c.reason)
                && Objects.equals(message, c.message)
                && Objects.equals(lastTransitionTime, c.lastTransitionTime)
                && Objects.equals(observedGeneration, c.observedGeneration);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, status, reason, message, lastTransitionTime, observedGeneration);
    }
}
