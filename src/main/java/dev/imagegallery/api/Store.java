package dev.imagegallery.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** One storage endpoint of a region, in one of its zones. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Store {
    @Required
    @Size(min = 1, max = 63)
    @ValidationRule(
            value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')",
            message = "must be lower-case letters, digits and '-', starting and ending with a letter or digit")
    @JsonPropertyDescription("Name of the store, unique within the region.")
    public String name;

    @Size(max = 63)
    @JsonPropertyDescription(
            "Zone of the region the store lies in: one of the region's zones, or empty when the region has none.")
    public String zone;

    @Required
    @Size(min = 1, max = 2048)
    @ValidationRule(
            value = "self.matches('^(file:///|https?://[^/]+)')",
            message = "must be a file:///path or an http(s)://host URL")
    @JsonPropertyDescription(
            "Where replicas are written: a file:///directory, or an http(s):// server that accepts PUT (for example WebDAV).")
    public String endpoint;

    @Size(max = 40)
    // A bounded string rather than int-or-string: CEL needs the length bound to stay within its cost budget.
    @ValidationRule(
            value = "isQuantity(self) && quantity(self).isGreaterThan(quantity('0'))",
            message = "must be a positive Kubernetes quantity of bytes, for example \"500Gi\"")
    @JsonPropertyDescription(
            "Bytes the store may hold, as a quoted Kubernetes quantity such as \"500Gi\"; unlimited when omitted.")
    public String capacity;

    @Size(min = 1, max = 3)
    @Default("[\"Standard_LRS\"]")
    @JsonPropertyDescription("Storage account types this store offers; defaults to Standard_LRS.")
    public List<StorageAccountType> storageAccountTypes;
}
