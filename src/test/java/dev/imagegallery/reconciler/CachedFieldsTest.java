package dev.imagegallery.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.api.ImageVersionStatus.RegionState;
import dev.imagegallery.api.ImageVersionStatus.Replica;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

class CachedFieldsTest {
    /** A version as the API server sends it mid-copy: managedFields, conditions, progress and details included. */
    private static final String VERSION = """
            apiVersion: imagegallery.dev/v1alpha1
            kind: ImageVersion
            metadata:
              name: ubuntu-1-0-0
              namespace: team
              uid: 6d1c4a52-0b0e-4b5f-9f42-3d8f3f3c2a11
              resourceVersion: "4711"
              generation: 2
              creationTimestamp: "2026-12-01T10:00:00Z"
              labels: {team: platform}
              annotations: {note: a long note a user wrote}
              finalizers: [imageversions.imagegallery.dev/finalizer]
              managedFields:
              - manager: kubectl
                operation: Apply
                fieldsType: FieldsV1
                fieldsV1: {"f:spec": {"f:version": {}}}
            spec:
              imageDefinitionName: ubuntu
              version: 1.0.0
              sourceRegion: west
              source: {url: "https://images.example/u.img", sha256: "%s", sizeBytes: 1024}
              publishingProfile:
                targetRegions: [{name: west, regionalReplicaCount: 2}, {name: east, excludeFromLatest: true}]
            status:
              observedGeneration: 2
              sizeBytes: 1024
              conditions:
              - {type: Ready, status: "False", reason: Replicating, message: copying, lastTransitionTime: "2026-12-01T10:00:01Z"}
              replicationStatus:
                aggregatedState: InProgress
                regions: 1/2
                summary:
                - region: west
                  state: Completed
                  progress: 100
                  details: all replicas verified
                  replicas:
                  - {index: 0, store: s1, zone: a, state: Completed, progress: 100, url: "https://s1/team/u/1.0.0/0", copiedFrom: source}
                  - {index: 1, store: s2, zone: b, state: Completed, progress: 100, url: "https://s2/team/u/1.0.0/1", copiedFrom: west/s1/0}
                - region: east
                  state: Replicating
                  progress: 40
                  replicas:
                  - {index: 0, store: e1, state: Replicating, progress: 40}
            """.formatted("a".repeat(64));

    @Test
    void aVersionAddedOrRemovedConcernsDefinitionsAndStoreLoads() {
        assertThat(CachedFields.changedForDefinitions(null, version())).isTrue();
        assertThat(CachedFields.changedForDefinitions(version(), null)).isTrue();
        assertThat(CachedFields.changedForStoreLoads(null, version())).isTrue();
        assertThat(CachedFields.changedForStoreLoads(version(), null)).isTrue();
    }

    @Test
    void aSpecChangeOrADeletionConcernsDefinitionsAndStoreLoads() {
        ImageVersion edited = version();
        edited.getMetadata().setGeneration(3L);
        ImageVersion deleting = version();
        deleting.getMetadata().setDeletionTimestamp("2026-12-02T10:00:00Z");

        assertThat(CachedFields.changedForDefinitions(version(), edited)).isTrue();
        assertThat(CachedFields.changedForStoreLoads(version(), edited)).isTrue();
        assertThat(CachedFields.changedForDefinitions(version(), deleting)).isTrue();
        assertThat(CachedFields.changedForStoreLoads(version(), deleting)).isTrue();
    }

    @Test
    void progressAndConditionsWakeNeitherDefinitionsNorStoreLoads() {
        ImageVersion older = version();
        ImageVersion newer = version();
        newer.getMetadata().setResourceVersion("4712");
        newer.getStatus().replicationStatus.summary.get(1).progress = 80;
        newer.getStatus().replicationStatus.summary.get(1).replicas.get(0).progress = 80;
        newer.getStatus().conditions.get(0).message = "copying, 80 %";

        assertThat(CachedFields.changedForDefinitions(older, newer)).isFalse();
        assertThat(CachedFields.changedForStoreLoads(older, newer)).isFalse();
    }

    @Test
    void aCompletedReplicaWakesDefinitionsAndANewPlacementWakesStoreLoads() {
        ImageVersion older = version();
        ImageVersion completed = version();
        var east = completed.getStatus().replicationStatus.summary.get(1);
        east.state = RegionState.Completed;
        east.replicas.get(0).state = RegionState.Completed;
        east.replicas.get(0).url = "https://e1/team/u/1.0.0/0";
        ImageVersion moved = version();
        var replica = new Replica();
        replica.index = 1;
        replica.store = "e2";
        moved.getStatus().replicationStatus.summary.get(1).replicas = java.util.List.of(
                moved.getStatus().replicationStatus.summary.get(1).replicas.get(0), replica);

        assertThat(CachedFields.changedForDefinitions(older, completed)).isTrue();
        assertThat(CachedFields.changedForStoreLoads(older, completed)).isFalse();
        assertThat(CachedFields.changedForStoreLoads(older, moved)).isTrue();
    }

    @Test
    void versionsReadApartHoldTheirRepeatedValuesOnceAndLoseNothing() {
        ImageVersion first = version();
        String asRead = Serialization.asYaml(first);

        ImageVersion one = CachedFields.shareRepeatedValues(first);
        ImageVersion other = CachedFields.shareRepeatedValues(version());

        assertThat(Serialization.asYaml(one)).isEqualTo(asRead);
        assertThat(one.getMetadata().getNamespace())
                .isSameAs(other.getMetadata().getNamespace());
        assertThat(one.getSpec().publishingProfile.targetRegions.get(0).name)
                .isSameAs(other.getSpec().publishingProfile.targetRegions.get(0).name);
        assertThat(one.getStatus().conditions.get(0).reason)
                .isSameAs(other.getStatus().conditions.get(0).reason);
        assertThat(one.getStatus().replicationStatus.summary.get(0).replicas.get(1).store)
                .isSameAs(other.getStatus()
                        .replicationStatus
                        .summary
                        .get(0)
                        .replicas
                        .get(1)
                        .store);
        assertThat(one.getSpec().source.sha256).isSameAs(other.getSpec().source.sha256);
    }

    static ImageVersion version() {
        return Serialization.unmarshal(VERSION, ImageVersion.class);
    }
}
