package dev.imagegallery.validation;

import dev.imagegallery.api.ImageVersionSpec;
import dev.imagegallery.api.ImageVersionSpec.TargetRegion;
import dev.imagegallery.api.RegionSpec;
import dev.imagegallery.api.StorageAccountType;
import dev.imagegallery.status.Reason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether a version fits the Region catalogue and its namespace: the rules the API server cannot
 * judge because they span objects. Returns every violation; an empty list means compatible.
 */
public final class VersionCompatibility {
    private VersionCompatibility() {}

    public static List<Violation> check(
            ImageVersionSpec spec,
            String namespace,
            Map<String, RegionSpec> regions,
            int maxReplicasPerRegion,
            Instant createdAt) {
        List<Violation> violations = new ArrayList<>();
        RegionSpec source = regions.get(spec.sourceRegion);
        for (TargetRegion target : spec.publishingProfile.targetRegions) {
            RegionSpec region = regions.get(target.name);
            if (region == null) {
                violations.add(new Violation(
                        Reason.RegionNotFound,
                        "target region " + target.name
                                + " does not exist in the Region catalogue (kubectl get regions)"));
                continue;
            }
            if (source != null && region.cloud != source.cloud) {
                violations.add(new Violation(
                        Reason.CrossCloudReplication,
                        "target region " + target.name + " is in the " + region.cloud + " cloud but source region "
                                + spec.sourceRegion + " is in the " + source.cloud
                                + " cloud: versions never replicate across clouds"));
            }
            if (Boolean.TRUE.equals(region.restricted)
                    && (region.allowedNamespaces == null || !region.allowedNamespaces.contains(namespace))) {
                violations.add(new Violation(
                        Reason.RegionRestricted,
                        "region " + target.name + " is restricted and namespace " + namespace
                                + " is not in its spec.allowedNamespaces"));
            }
            if (storageType(spec, target) == StorageAccountType.Standard_ZRS
                    && (region.zones == null || region.zones.isEmpty())) {
                violations.add(new Violation(
                        Reason.ZoneRedundancyUnavailable,
                        "target region " + target.name + " asks for Standard_ZRS but region " + target.name
                                + " has no zones"));
            }
            int replicas = replicaCount(spec, target);
            if (replicas > maxReplicasPerRegion) {
                violations.add(new Violation(
                        Reason.ReplicaCountExceeded,
                        "target region " + target.name + " asks for " + replicas
                                + " replicas; this installation allows at most " + maxReplicasPerRegion
                                + " per region"));
            }
        }
        String endOfLife = spec.publishingProfile.endOfLifeDate;
        if (endOfLife != null && !EndOfLifeDate.parse(endOfLife).isAfter(createdAt)) {
            violations.add(new Violation(
                    Reason.EndOfLifeInPast,
                    "spec.publishingProfile.endOfLifeDate " + endOfLife
                            + " was not in the future when the version was created (" + createdAt + ")"));
        }
        return violations;
    }

    /** The region's replica count: regionalReplicaCount, else the common replicaCount, else 1. */
    public static int replicaCount(ImageVersionSpec spec, TargetRegion target) {
        if (target.regionalReplicaCount != null) {
            return target.regionalReplicaCount;
        }
        return spec.publishingProfile.replicaCount != null ? spec.publishingProfile.replicaCount : 1;
    }

    /** The region's storage type: its own, else the version's, else Standard_LRS. */
    public static StorageAccountType storageType(ImageVersionSpec spec, TargetRegion target) {
        if (target.storageAccountType != null) {
            return target.storageAccountType;
        }
        return spec.publishingProfile.storageAccountType != null
                ? spec.publishingProfile.storageAccountType
                : StorageAccountType.Standard_LRS;
    }
}
