package dev.imagegallery.reconciler.region;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.imagegallery.api.RegionSpec;
import dev.imagegallery.api.RegionStatus;
import dev.imagegallery.api.Store;
import dev.imagegallery.audit.StoreAudit;
import dev.imagegallery.audit.StoreAuditor;
import dev.imagegallery.replication.FailureReason;
import dev.imagegallery.status.Conditions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RegionStatusCalculatorTest {
    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

    @Test
    void allStoresReachableMakesTheRegionReadyWithCapacitiesInBytes() {
        RegionStatus status = RegionStatusCalculator.calculate(
                spec(store("a", "1", "2Gi"), store("b", "2", null)),
                null,
                4,
                Map.of("a", StoreProbe.Result.ok(), "b", StoreProbe.Result.ok()),
                List.of(new dev.imagegallery.placement.StoreUsage("a", "1", 2, 200L, 2147483648L)),
                Map.of(),
                Map.of(),
                NOW);

        assertThat(status.observedGeneration).isEqualTo(4L);
        assertThat(status.reachableStores).isEqualTo("2/2");
        assertThat(status.stores)
                .extracting(
                        s -> s.name,
                        s -> s.zone,
                        s -> s.capacityBytes,
                        s -> s.reachable,
                        s -> s.replicas,
                        s -> s.bytesUsed)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("a", "1", 2147483648L, true, 2, 200L),
                        org.assertj.core.groups.Tuple.tuple("b", "2", null, true, null, null));
        assertThat(Conditions.find(status.conditions, "Ready").reason).isEqualTo("StoresReachable");
    }

    @Test
    void anUnreachableStoreKeepsTheRegionNotReadyAndSaysWhichAndWhy() {
        RegionStatus status = RegionStatusCalculator.calculate(
                spec(store("a", null, null), store("b", null, null)),
                null,
                1,
                Map.of(
                        "a",
                        StoreProbe.Result.ok(),
                        "b",
                        StoreProbe.Result.failed(
                                FailureReason.AuthenticationFailed, "store s3://b/ refused the access key")),
                List.of(),
                Map.of(),
                Map.of(),
                NOW);

        assertThat(status.reachableStores).isEqualTo("1/2");
        var ready = Conditions.find(status.conditions, "Ready");
        assertThat(ready.status.name()).isEqualTo("False");
        assertThat(ready.reason).isEqualTo("StoreUnreachable");
        assertThat(ready.message).isEqualTo("store b: AuthenticationFailed: store s3://b/ refused the access key");
        assertThat(status.stores)
                .extracting(s -> s.name, s -> s.reachable, s -> s.reason)
                .containsExactly(tuple("a", true, null), tuple("b", false, "AuthenticationFailed"));
        assertThat(Conditions.find(status.conditions, "Stalled").status.name()).isEqualTo("False");
        assertThat(RegionStatusCalculator.unreachableBefore(status))
                .as("the stores the next reconcile tells of when they answer again")
                .containsExactly("b");
        assertThat(RegionStatusCalculator.unreachableBefore(null))
                .as("a Region not yet reconciled")
                .isEmpty();
    }

    @Test
    void aStoreOverlappingAnEarlierRegionsStoreStallsTheRegionNamingBoth() {
        RegionStatus status = RegionStatusCalculator.calculate(
                spec(store("a", null, null)),
                null,
                1,
                Map.of("a", StoreProbe.Result.ok()),
                List.of(),
                Map.of("a", "store s1 of Region westeurope"),
                Map.of(),
                NOW);

        var stalled = Conditions.find(status.conditions, "Stalled");
        assertThat(stalled.status.name()).isEqualTo("True");
        assertThat(stalled.reason).isEqualTo("EndpointConflict");
        assertThat(stalled.message).contains("store a", "store s1 of Region westeurope");
    }

    @Test
    void recalculatingTheSameRegionGivesAnEqualStatus() {
        RegionSpec spec = spec(store("a", null, "100"));
        Map<String, StoreProbe.Result> probes = Map.of("a", StoreProbe.Result.ok());
        RegionStatus first =
                RegionStatusCalculator.calculate(spec, null, 1, probes, List.of(), Map.of(), Map.of(), NOW);

        RegionStatus again = RegionStatusCalculator.calculate(
                spec, first, 1, probes, List.of(), Map.of(), Map.of(), NOW.plusSeconds(300));

        assertThat(again).usingRecursiveComparison().isEqualTo(first);
    }

    @Test
    void auditedStoresShowTheirOrphansAndTheConditionNamesTheFirstFewOfEach() {
        RegionSpec spec = spec(store("a", null, null), store("b", null, null), store("c", null, null));
        Map<String, StoreProbe.Result> probes =
                Map.of("a", StoreProbe.Result.ok(), "b", StoreProbe.Result.ok(), "c", StoreProbe.Result.ok());
        Map<String, StoreAuditor.Audit> audits = Map.of(
                "a", new StoreAuditor.Audit(Optional.of(findings("t/g/d/1/0", "t/g/d/1/1", "x", "y.img"))),
                "b", new StoreAuditor.Audit(Optional.of(findings())),
                "c", new StoreAuditor.Audit(Optional.empty()));

        RegionStatus status = RegionStatusCalculator.calculate(spec, null, 3, probes, List.of(), Map.of(), audits, NOW);

        assertThat(status.stores)
                .extracting(s -> s.name, s -> s.orphanedObjects)
                .containsExactly(tuple("a", 4), tuple("b", 0), tuple("c", null));
        var condition = Conditions.find(status.conditions, RegionStatusCalculator.ORPHANED_OBJECTS);
        assertThat(condition.status.name()).isEqualTo("True");
        assertThat(condition.reason).isEqualTo("OrphansFound");
        assertThat(condition.message)
                .isEqualTo("store a holds 4 objects no image version refers to: t/g/d/1/0, t/g/d/1/1, x, ...");
        assertThat(Conditions.find(status.conditions, "Ready").status.name()).isEqualTo("True");
    }

    @Test
    void withoutOrphansTheConditionIsFalseAndAfterARestartWhatTheLastAuditFoundStandsUntilTheNext() {
        RegionSpec spec = spec(store("a", null, null));
        Map<String, StoreProbe.Result> probes = Map.of("a", StoreProbe.Result.ok());

        RegionStatus clean = RegionStatusCalculator.calculate(
                spec,
                null,
                1,
                probes,
                List.of(),
                Map.of(),
                Map.of("a", new StoreAuditor.Audit(Optional.of(findings()))),
                NOW);
        RegionStatus afterRestart = RegionStatusCalculator.calculate(
                spec, clean, 1, probes, List.of(), Map.of(), Map.of(), NOW.plusSeconds(60));
        RegionStatus neverAudited =
                RegionStatusCalculator.calculate(spec, null, 1, probes, List.of(), Map.of(), Map.of(), NOW);

        var condition = Conditions.find(clean.conditions, RegionStatusCalculator.ORPHANED_OBJECTS);
        assertThat(condition.status.name()).isEqualTo("False");
        assertThat(condition.reason).isEqualTo("NoOrphans");
        assertThat(afterRestart).usingRecursiveComparison().isEqualTo(clean);
        assertThat(Conditions.find(neverAudited.conditions, RegionStatusCalculator.ORPHANED_OBJECTS))
                .isNull();
        assertThat(neverAudited.stores.get(0).orphanedObjects).isNull();
    }

    private static StoreAudit.Findings findings(String... orphans) {
        return new StoreAudit.Findings(List.of(orphans), List.of());
    }

    private static RegionSpec spec(Store... stores) {
        RegionSpec spec = new RegionSpec();
        spec.stores = List.of(stores);
        return spec;
    }

    private static Store store(String name, String zone, String capacity) {
        Store store = new Store();
        store.name = name;
        store.zone = zone;
        store.capacity = capacity;
        store.endpoint = "file:///stores/" + name;
        return store;
    }
}
