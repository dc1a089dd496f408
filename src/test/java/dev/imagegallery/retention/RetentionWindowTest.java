package dev.imagegallery.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegallery.api.Retention;
import dev.imagegallery.retention.RetentionWindow.Kept;
import dev.imagegallery.retention.RetentionWindow.Member;
import dev.imagegallery.testing.Property;
import dev.imagegallery.validation.SemanticVersion;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetentionWindowTest {
    private static final List<String> TARGETS = List.of("west", "east", "north");

    @Test
    void theNewestKeepAllTheirRegionsAndOlderOnesTheirSourceRegion() {
        Retention policy = policy(2, Retention.KeepIn.SourceRegionOnly);
        List<Member> versions = members("1.0.0", "1.1.0", "1.10.0", "1.9.0");

        assertThat(kept(policy, versions, "1.10.0").regions()).isEqualTo(TARGETS);
        assertThat(kept(policy, versions, "1.9.0").newest()).isTrue();
        Kept older = kept(policy, versions, "1.1.0");
        assertThat(older.newest()).isFalse();
        assertThat(older.regions()).containsExactly("east");
        assertThat(older.details())
                .isEqualTo("older than the 2 newest versions of image definition ubuntu (1.10.0, 1.9.0):"
                        + " spec.retention keeps it in its source region east only");
    }

    @Test
    void fewerVersionsThanTheWindowAllKeepEverything() {
        assertThat(kept(policy(3, Retention.KeepIn.SourceRegionOnly), members("1.0.0", "2.0.0"), "1.0.0")
                        .newest())
                .isTrue();
    }

    @Test
    void excludedVersionsAreNotCountedAndKeepAllOnlyWhenNewerThanTheWindow() {
        Retention policy = policy(1, Retention.KeepIn.SourceRegionOnly);
        List<Member> versions =
                List.of(member("1.0.0", true), member("1.1.0", false), member("1.2.0", false), member("2.0.0", true));

        Kept canary = RetentionWindow.of(policy, "ubuntu", versions, version(member("2.0.0", true)));
        assertThat(canary.newest()).isTrue();
        assertThat(canary.details()).startsWith("newer than the oldest of the 1 newest versions");
        assertThat(kept(policy, versions, "1.2.0").newest()).isTrue();
        assertThat(kept(policy, versions, "1.1.0").newest()).isFalse();
        assertThat(RetentionWindow.of(policy, "ubuntu", versions, version(member("1.0.0", true)))
                        .newest())
                .isFalse();
    }

    @Test
    void namedRegionsKeepThoseTheVersionTargetsOrElseItsSourceRegion() {
        Retention policy = policy(1, Retention.KeepIn.Regions);
        policy.olderVersions.regions = List.of("north", "west", "south");
        List<Member> versions = members("1.0.0", "2.0.0");

        assertThat(kept(policy, versions, "1.0.0").regions()).containsExactly("west", "north");
        policy.olderVersions.regions = List.of("south");
        assertThat(kept(policy, versions, "1.0.0").regions()).containsExactly("east");
    }

    @Test
    void aVersionThatForbidsRemovingReplicatedRegionsKeepsThemAll() {
        Kept kept = RetentionWindow.of(
                policy(1, Retention.KeepIn.SourceRegionOnly),
                "ubuntu",
                members("1.0.0", "2.0.0"),
                new RetentionWindow.Version(member("1.0.0", false), TARGETS, "east", false));

        assertThat(kept.regions()).isEqualTo(TARGETS);
        assertThat(kept.details()).contains("allowDeletionOfReplicatedLocations is false");
    }

    @Test
    void exactlyKeepLatestUnexcludedVersionsAreNewestWhenThereAreEnough() {
        Property.check(300, random -> {
            int keepLatest = 1 + random.nextInt(4);
            List<Member> versions = new ArrayList<>();
            for (int i = 0, n = 1 + random.nextInt(10); i < n; i++) {
                versions.add(member(random.nextInt(3) + "." + random.nextInt(3) + ".0", random.nextInt(4) == 0));
            }
            Retention policy = policy(keepLatest, Retention.KeepIn.SourceRegionOnly);
            List<Member> newest = versions.stream()
                    .filter(v -> RetentionWindow.of(policy, "ubuntu", versions, version(v))
                            .newest())
                    .toList();
            long counted = versions.stream()
                    .filter(v -> !v.excludedFromLatest())
                    .map(Member::version)
                    .distinct()
                    .count();
            assertThat(newest.stream()
                            .filter(v -> !v.excludedFromLatest())
                            .map(Member::version)
                            .distinct()
                            .count())
                    .isEqualTo(Math.min(keepLatest, counted));
            // Whatever is newest is at least as new as whatever is not.
            versions.stream()
                    .filter(v -> !newest.contains(v))
                    .forEach(old -> assertThat(newest).allMatch(n -> n.version().compareTo(old.version()) > 0));
        });
    }

    @Test
    void deletionComesTheGivenDurationAfterTheEndOfLife() {
        Retention policy = policy(1, Retention.KeepIn.SourceRegionOnly);
        assertThat(RetentionWindow.deletionTime(policy, "2027-01-01")).isEmpty();

        policy.deleteAfterEndOfLife = "1h30m";
        assertThat(RetentionWindow.deletionTime(policy, "2027-01-01")).contains(Instant.parse("2027-01-01T01:30:00Z"));
        assertThat(RetentionWindow.deletionTime(policy, null)).isEmpty();
        assertThat(RetentionWindow.duration("720h")).isEqualTo(Duration.ofDays(30));
        assertThat(RetentionWindow.duration("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(RetentionWindow.duration("0s")).isZero();
    }

    private static Kept kept(Retention policy, List<Member> versions, String number) {
        return RetentionWindow.of(policy, "ubuntu", versions, version(member(number, false)));
    }

    private static RetentionWindow.Version version(Member member) {
        return new RetentionWindow.Version(member, TARGETS, "east", true);
    }

    private static Retention policy(int keepLatest, Retention.KeepIn keepIn) {
        Retention policy = new Retention();
        policy.keepLatest = keepLatest;
        policy.olderVersions = new Retention.OlderVersions();
        policy.olderVersions.keepIn = keepIn;
        return policy;
    }

    private static List<Member> members(String... numbers) {
        return java.util.Arrays.stream(numbers).map(n -> member(n, false)).toList();
    }

    private static Member member(String number, boolean excluded) {
        return new Member(SemanticVersion.parse(number), excluded);
    }
}
