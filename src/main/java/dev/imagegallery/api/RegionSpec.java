package dev.imagegallery.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value =
                "has(self.zones) ? self.stores.all(s, has(s.zone) && s.zone in self.zones) : self.stores.all(s, !has(s.zone))",
        message =
                "every store's zone must be one of spec.zones, and stores of a region without zones must not name a zone",
        fieldPath = ".stores")
@ValidationRule(
        value = "has(self.zones) || !self.stores.exists(s, 'Standard_ZRS' in s.storageAccountTypes)",
        message =
                "Standard_ZRS is offered only by stores of a region with zones: add spec.zones or remove Standard_ZRS",
        fieldPath = ".stores")
@ValidationRule(
        value = "!self.restricted || has(self.allowedNamespaces)",
        message = "a restricted region needs spec.allowedNamespaces listing the namespaces that may replicate into it")
public class RegionSpec {
    @Size(max = 256)
    @JsonPropertyDescription("Human-readable name of the region, for example 'West Europe'.")
    public String displayName;

    @Default("Public")
    @JsonPropertyDescription(
            "Cloud the region belongs to: Public, Government or China. Versions never replicate across clouds.")
    public Cloud cloud;

    @Default("false")
    @JsonPropertyDescription(
            "When true, only namespaces listed in allowedNamespaces may replicate image versions into this region.")
    public Boolean restricted;

    @Size(min = 1, max = 1000)
    @ValidationRule(
            value = "self.all(n, n.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'))",
            message =
                    "each entry must be a namespace name: lower-case letters, digits and '-', starting and ending with a letter or digit")
    @JsonPropertyDescription(
            "Namespaces allowed to replicate into a restricted region; ignored when the region is not restricted.")
    public List<@Size(max = 63) String> allowedNamespaces;

    @Size(min = 1, max = 3)
    @ValidationRule(value = "self.all(z, self.exists_one(o, o == z))", message = "zone names must be unique")
    @JsonPropertyDescription(
            "Availability zones of the region (at most 3). Regions with zones can hold Standard_ZRS replicas and spread replicas over zones.")
    public List<@Size(max = 63) String> zones;

    @Required
    @Size(min = 1, max = 64)
    @ValidationRule(
            value = "self.all(s, self.exists_one(o, o.name == s.name))",
            message = "store names must be unique within a region")
    @ValidationRule(
            value = "self.all(s, self.exists_one(o, o.endpoint == s.endpoint))",
            message = "store endpoints must be unique: two stores at one place would share their objects")
    @JsonPropertyDescription("Storage endpoints that hold replicas in this region.")
    public List<Store> stores;

    public enum Cloud {
        Public,
        Government,
        China
    }
}
