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

/** A type of image in a gallery: OS, identifier, recommendations and end of life. Its versions hold the bytes. */
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@ShortNames("imgdef")
@Categories(ApiGroup.CATEGORY)
@ValidationRule(
        value = "size(self.metadata.name) <= 80",
        message = "metadata.name of an ImageDefinition must be at most 80 characters")
@AdditionalPrinterColumn(name = "Gallery", jsonPath = ".spec.galleryName", type = Type.STRING)
@AdditionalPrinterColumn(name = "OS", jsonPath = ".spec.osType", type = Type.STRING)
@AdditionalPrinterColumn(name = "State", jsonPath = ".spec.osState", type = Type.STRING)
@AdditionalPrinterColumn(name = "Latest", jsonPath = ".status.latestVersion", type = Type.STRING)
@AdditionalPrinterColumn(name = "Publisher", jsonPath = ".spec.identifier.publisher", type = Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Offer", jsonPath = ".spec.identifier.offer", type = Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "SKU", jsonPath = ".spec.identifier.sku", type = Type.STRING, priority = 1)
@AdditionalPrinterColumn(
        name = "Ready",
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        type = Type.STRING)
@AdditionalPrinterColumn(
        name = "Reason",
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
        type = Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
public class ImageDefinition extends ApiResource<ImageDefinitionSpec, ImageDefinitionStatus> implements Namespaced {
    @Override
    @JsonPropertyDescription(
            "What the user asks for: the image type's identifier, OS, recommendations and end of life.")
    public ImageDefinitionSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("What the operator observed: conditions, the latest version and the number of versions.")
    public ImageDefinitionStatus getStatus() {
        return super.getStatus();
    }
}
