package dev.imagegallery.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A repository of image definitions, shared as a whole. The namespace plays the role of a subscription. */
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@ShortNames("imgal")
@Categories(ApiGroup.CATEGORY)
// The original service allows letters, digits, '.' and '_' in gallery names; Kubernetes names allow
// lower-case letters, digits, '.' and '-': a gallery name must satisfy both.
@ValidationRule(
        value = "self.metadata.name.matches('^[a-z0-9]+([.][a-z0-9]+)*$') && size(self.metadata.name) <= 80",
        message =
                "metadata.name of a Gallery must be at most 80 lower-case letters, digits and '.', not starting or ending with '.' (no '-')")
@AdditionalPrinterColumn(name = "Definitions", jsonPath = ".status.imageDefinitionCount", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "Versions", jsonPath = ".status.imageVersionCount", type = Type.INTEGER)
@AdditionalPrinterColumn(
        name = "Ready",
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        type = Type.STRING)
@AdditionalPrinterColumn(
        name = "Reason",
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
        type = Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
public class Gallery extends ApiResource<GallerySpec, GalleryStatus> implements Namespaced {
    @Override
    @JsonPropertyDescription("What the user asks for: the gallery's description and sharing.")
    public GallerySpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("What the operator observed: conditions and counts of definitions and versions.")
    public GalleryStatus getStatus() {
        return super.getStatus();
    }
}
