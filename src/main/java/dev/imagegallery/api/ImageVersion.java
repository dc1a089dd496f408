package dev.imagegallery.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One published build (Major.Minor.Patch) of an image definition, replicated to its target regions. */
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@ShortNames("imgver")
@Categories(ApiGroup.CATEGORY)
@AdditionalPrinterColumn(name = "Definition", jsonPath = ".spec.imageDefinitionName", type = Type.STRING)
@AdditionalPrinterColumn(name = "Version", jsonPath = ".spec.version", type = Type.STRING)
@AdditionalPrinterColumn(
        name = "Replication",
        jsonPath = ".status.replicationStatus.aggregatedState",
        type = Type.STRING)
// A [*] path would print only the first region: the controller writes "completed/total" instead.
@AdditionalPrinterColumn(name = "Regions", jsonPath = ".status.replicationStatus.regions", type = Type.STRING)
@AdditionalPrinterColumn(
        name = "Ready",
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        type = Type.STRING)
@AdditionalPrinterColumn(
        name = "Reason",
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
        type = Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
public class ImageVersion extends ApiResource<ImageVersionSpec, ImageVersionStatus> implements Namespaced {
    @Override
    @JsonPropertyDescription("What the user asks for: the source bytes, the target regions and replica counts.")
    public ImageVersionSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription(
            "What the operator observed: conditions and the replication state of every region and replica.")
    public ImageVersionStatus getStatus() {
        return super.getStatus();
    }
}
