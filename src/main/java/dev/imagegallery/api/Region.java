package dev.imagegallery.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A place replicas can go: its zones and stores, its cloud, and who may replicate into it. Cluster-scoped. */
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@ShortNames("imgreg")
@Categories(ApiGroup.CATEGORY)
@AdditionalPrinterColumn(name = "Display Name", jsonPath = ".spec.displayName", type = Type.STRING)
@AdditionalPrinterColumn(name = "Cloud", jsonPath = ".spec.cloud", type = Type.STRING)
@AdditionalPrinterColumn(name = "Zones", jsonPath = ".spec.zones", type = Type.STRING)
// A [*] path would print only the first store: the controller writes "reachable/total" instead.
@AdditionalPrinterColumn(name = "Stores", jsonPath = ".status.reachableStores", type = Type.STRING)
@AdditionalPrinterColumn(name = "Restricted", jsonPath = ".spec.restricted", type = Type.BOOLEAN)
@AdditionalPrinterColumn(
        name = "Ready",
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        type = Type.STRING)
@AdditionalPrinterColumn(
        name = "Reason",
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
        type = Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
public class Region extends ApiResource<RegionSpec, RegionStatus> {
    @Override
    @JsonPropertyDescription("What the platform admin declares: the region's cloud, zones, stores and restrictions.")
    public RegionSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("What the operator observed: conditions and the load of each store.")
    public RegionStatus getStatus() {
        return super.getStatus();
    }
}
