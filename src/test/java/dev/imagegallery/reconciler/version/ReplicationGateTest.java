package dev.imagegallery.reconciler.version;

import static dev.imagegallery.reconciler.version.Versions.dataDisk;
import static dev.imagegallery.reconciler.version.Versions.observed;
import static dev.imagegallery.reconciler.version.Versions.region;
import static dev.imagegallery.reconciler.version.Versions.version;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.reconciler.version.ReplicationGate.Admitted;
import dev.imagegallery.reconciler.version.ReplicationGate.Held;
import dev.imagegallery.replication.SourceChecks;
import dev.imagegallery.status.Outcome;
import dev.imagegallery.status.Reason;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReplicationGateTest {
    private static final List<dev.imagegallery.api.Region> CATALOGUE = List.of(region("west", "s1"));

    @Test
    void anAllowedReadableSourceWithinTheQuotaIsPlacedWithItsSize() {
        ObservedVersion observed = observed(version("v", "2026-01-01T00:00:00Z", "west"), CATALOGUE);

        assertThat(decide(observed, Optional.empty(), new SourceChecks.Usable(512), Optional.of(1024L)))
                .isEqualTo(new Admitted(512));
    }

    @Test
    void anInvalidVersionIsHeldShowingItsDeclaredSizeAndLeavesTheProblemToItsRule() {
        ImageVersion version = version("v", "2026-01-01T00:00:00Z", "west");
        version.getSpec().source.sizeBytes = 100L;
        Outcome broken = Outcome.stalled(Reason.RegionRestricted, "no");

        Replication.OnHold held =
                held(decide(observed(version, CATALOGUE), Optional.of(broken), null, Optional.empty()));

        assertThat(held)
                .isEqualTo(new Replication.OnHold(
                        "on hold while the version is not valid (RegionRestricted)", 100L, Optional.empty()));
    }

    @Test
    void aRefusedSourceStallsTheVersionAndShowsNoSize() {
        ImageVersion version = version("v", "2026-01-01T00:00:00Z", "west");
        version.getSpec().source.sizeBytes = 100L;

        Replication.OnHold held = held(decide(
                observed(version, CATALOGUE),
                Optional.empty(),
                new SourceChecks.NotAllowed("not allowed by image-gallery.sources.allowed-url-prefixes"),
                Optional.empty()));

        assertThat(held.sizeBytes()).isNull();
        assertThat(held.problem())
                .contains(Outcome.stalled(
                        Reason.SourceNotAllowed, "not allowed by image-gallery.sources.allowed-url-prefixes"));
    }

    @Test
    void anUnreachableSourceIsWaitedForAndLookedAtAgain() {
        Replication.OnHold held = held(decide(
                observed(version("v", "2026-01-01T00:00:00Z", "west"), CATALOGUE),
                Optional.empty(),
                new SourceChecks.Unreachable("HEAD answered HTTP 404"),
                Optional.empty()));

        assertThat(held.details()).isEqualTo("waiting for the source");
        assertThat(held.problem())
                .contains(Outcome.inProgress(
                        Reason.SourceUnreachable,
                        "cannot read spec.source.url: HEAD answered HTTP 404; retrying every 30s"));
    }

    @Test
    void aVersionThatWouldOverrunTheByteQuotaIsStalledWithItsSizeShown() {
        ImageVersion earlier = version("a", "2026-01-01T00:00:00Z", "west");
        earlier.getSpec().version = "1.0.1";
        ImageVersion version = version("v", "2026-01-02T00:00:00Z", "west");
        ObservedVersion observed = observed(version, CATALOGUE, List.of(version), List.of(earlier, version));

        Replication.OnHold held = held(ReplicationGate.decide(
                observed, Optional.empty(), new SourceChecks.Usable(600), Optional.of(1000L), v -> 600, region -> 0));

        assertThat(held.sizeBytes()).isEqualTo(600L);
        assertThat(held.problem().map(Outcome::reason)).contains(Reason.QuotaExceeded);
    }

    @Test
    void softDeletedBytesInTheRegionCountAgainstTheByteQuota() {
        ImageVersion version = version("v", "2026-01-02T00:00:00Z", "west");
        ObservedVersion observed = observed(version, CATALOGUE);

        assertThat(ReplicationGate.decide(
                        observed,
                        Optional.empty(),
                        new SourceChecks.Usable(600),
                        Optional.of(1000L),
                        v -> 600,
                        region -> region.equals("east") ? 600 : 0))
                .isInstanceOf(ReplicationGate.Admitted.class);
        Replication.OnHold held = held(ReplicationGate.decide(
                observed,
                Optional.empty(),
                new SourceChecks.Usable(600),
                Optional.of(1000L),
                v -> 600,
                region -> region.equals("west") ? 600 : 0));

        assertThat(held.problem().orElseThrow().message())
                .contains("with this version's 600 (and 600 bytes of soft-deleted versions)");
    }

    @Test
    void theByteQuotaCountsEveryDiskOfAReplicaWhileTheStatusShowsTheOsDisk() {
        ImageVersion version = version("v", "2026-01-02T00:00:00Z", "west");
        version.getSpec().dataDisks = List.of(dataDisk(0, 300), dataDisk(7, 200));
        ObservedVersion observed = observed(version, CATALOGUE);

        Replication.OnHold held =
                held(decide(observed, Optional.empty(), new SourceChecks.Usable(600), Optional.of(1000L)));

        assertThat(held.sizeBytes()).isEqualTo(600L);
        assertThat(held.problem().orElseThrow().message()).contains("with this version's 1100,");
        assertThat(decide(observed, Optional.empty(), new SourceChecks.Usable(500), Optional.of(1000L)))
                .isEqualTo(new Admitted(500));
    }

    private static ReplicationGate.Decision decide(
            ObservedVersion observed, Optional<Outcome> broken, SourceChecks.Finding source, Optional<Long> budget) {
        return ReplicationGate.decide(observed, broken, source, budget, v -> 0, region -> 0);
    }

    private static Replication.OnHold held(ReplicationGate.Decision decision) {
        assertThat(decision).isInstanceOf(Held.class);
        return ((Held) decision).onHold();
    }
}
