package dev.imagegallery.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegallery.api.ImageVersionSpec;
import dev.imagegallery.api.ImageVersionSpec.PublishingProfile;
import dev.imagegallery.api.ImageVersionSpec.TargetRegion;
import dev.imagegallery.api.RegionSpec;
import dev.imagegallery.api.RegionSpec.Cloud;
import dev.imagegallery.api.StorageAccountType;
import dev.imagegallery.status.Reason;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VersionCompatibilityTest {
    private static final Instant CREATED = Instant.parse("2026-11-28T00:00:00Z");
    private static final Map<String, RegionSpec> CATALOGUE = Map.of(
            "west", region(Cloud.Public, List.of("1", "2"), false, null),
            "east", region(Cloud.Public, null, false, null),
            "gov", region(Cloud.Government, null, false, null),
            "closed", region(Cloud.Public, null, true, List.of("allowed-ns")));

    @Test
    void aVersionThatFitsHasNoViolations() {
        assertThat(check(version("west", target("west"), target("east")), "team"))
                .isEmpty();
    }

    @Test
    void unknownTargetRegion() {
        assertThat(check(version("west", target("west"), target("mars")), "team"))
                .containsExactly(new Violation(
                        Reason.RegionNotFound,
                        "target region mars does not exist in the Region catalogue (kubectl get regions)"));
    }

    @Test
    void replicationAcrossClouds() {
        assertThat(check(version("west", target("west"), target("gov")), "team"))
                .singleElement()
                .satisfies(v -> assertThat(v.reason()).isEqualTo(Reason.CrossCloudReplication))
                .satisfies(v -> assertThat(v.message())
                        .contains(
                                "target region gov is in the Government cloud",
                                "source region west is in the Public cloud"));
    }

    @Test
    void restrictedRegionFromANamespaceNotAllowListed() {
        assertThat(check(version("west", target("west"), target("closed")), "team"))
                .extracting(Violation::reason)
                .containsExactly(Reason.RegionRestricted);
        assertThat(check(version("west", target("west"), target("closed")), "allowed-ns"))
                .isEmpty();
    }

    @Test
    void zoneRedundantStorageInARegionWithoutZones() {
        TargetRegion east = target("east");
        east.storageAccountType = StorageAccountType.Standard_ZRS;
        TargetRegion west = target("west");
        west.storageAccountType = StorageAccountType.Standard_ZRS;

        assertThat(check(version("west", west, east), "team"))
                .containsExactly(new Violation(
                        Reason.ZoneRedundancyUnavailable,
                        "target region east asks for Standard_ZRS but region east has no zones"));
    }

    @Test
    void commonStorageTypeAppliesToRegionsWithoutTheirOwn() {
        ImageVersionSpec spec = version("west", target("west"), target("east"));
        spec.publishingProfile.storageAccountType = StorageAccountType.Standard_ZRS;

        assertThat(check(spec, "team")).extracting(Violation::reason).containsExactly(Reason.ZoneRedundancyUnavailable);
    }

    @Test
    void replicaCountAboveTheConfiguredBound() {
        TargetRegion west = target("west");
        west.regionalReplicaCount = 9;
        assertThat(VersionCompatibility.check(version("west", west), "team", CATALOGUE, 8, CREATED))
                .extracting(Violation::message)
                .containsExactly(
                        "target region west asks for 9 replicas; this installation allows at most 8 per region");
    }

    @Test
    void endOfLifeAlreadyPastAtCreation() {
        ImageVersionSpec spec = version("west", target("west"));
        spec.publishingProfile.endOfLifeDate = "2026-11-27";
        assertThat(check(spec, "team")).extracting(Violation::reason).containsExactly(Reason.EndOfLifeInPast);
        spec.publishingProfile.endOfLifeDate = "2026-11-29T00:00:00Z";
        assertThat(check(spec, "team")).isEmpty();
    }

    @Test
    void replicaCountFallsBackFromRegionalToCommonToOne() {
        ImageVersionSpec spec = version("west", target("west"));
        assertThat(VersionCompatibility.replicaCount(spec, spec.publishingProfile.targetRegions.get(0)))
                .isEqualTo(1);
        spec.publishingProfile.replicaCount = 3;
        assertThat(VersionCompatibility.replicaCount(spec, spec.publishingProfile.targetRegions.get(0)))
                .isEqualTo(3);
        spec.publishingProfile.targetRegions.get(0).regionalReplicaCount = 5;
        assertThat(VersionCompatibility.replicaCount(spec, spec.publishingProfile.targetRegions.get(0)))
                .isEqualTo(5);
    }

    private static List<Violation> check(ImageVersionSpec spec, String namespace) {
        return VersionCompatibility.check(spec, namespace, CATALOGUE, 100, CREATED);
    }

    private static ImageVersionSpec version(String source, TargetRegion... targets) {
        ImageVersionSpec spec = new ImageVersionSpec();
        spec.sourceRegion = source;
        spec.publishingProfile = new PublishingProfile();
        spec.publishingProfile.targetRegions = List.of(targets);
        return spec;
    }

    private static TargetRegion target(String name) {
        TargetRegion target = new TargetRegion();
        target.name = name;
        return target;
    }

    private static RegionSpec region(Cloud cloud, List<String> zones, boolean restricted, List<String> allowed) {
        RegionSpec region = new RegionSpec();
        region.cloud = cloud;
        region.zones = zones;
        region.restricted = restricted;
        region.allowedNamespaces = allowed;
        return region;
    }
}
