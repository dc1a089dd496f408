package dev.imagegallery.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** An RBAC subject a gallery object is shared with. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "self.kind == 'ServiceAccount' ? has(self.__namespace__) : !has(self.__namespace__)",
        message = "namespace is required for a ServiceAccount subject and not allowed for a User or Group subject")
public class Subject {
    @Required
    @JsonPropertyDescription("Kind of subject: User, Group or ServiceAccount.")
    public SubjectKind kind;

    @Required
    @Size(min = 1, max = 253)
    @JsonPropertyDescription("Name of the user, group or service account.")
    public String name;

    @Size(max = 63)
    @JsonPropertyDescription("Namespace of the service account; only for kind ServiceAccount.")
    public String namespace;

    public enum SubjectKind {
        User,
        Group,
        ServiceAccount
    }
}
