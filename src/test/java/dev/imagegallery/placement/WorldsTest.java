package dev.imagegallery.placement;

import static dev.imagegallery.placement.Fixtures.GIB;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The random worlds have the shapes Worlds promises, and reach both ends of every range. */
class WorldsTest {
    private static final int SAMPLES = 1000;
    // Fixed, so that every run looks at the same sample.
    private final Random random = new Random(0);

    @Test
    void worldsSpanEveryShapeTheyPromise() {
        Set<Integer> regionCounts = new TreeSet<>();
        Set<Integer> zoneCounts = new TreeSet<>();
        Set<Integer> storeCounts = new TreeSet<>();
        Set<Long> sizesInGib = new TreeSet<>();
        Set<String> capacities = new TreeSet<>();
        Set<Boolean> missingRegionTargeted = new HashSet<>();
        Set<Integer> replicaCounts = new TreeSet<>();
        Set<Long> loadedHalfGibs = new TreeSet<>();
        for (int n = 0; n < SAMPLES; n++) {
            World world = Worlds.world(random);
            regionCounts.add(world.regions().size());
            for (CatalogueRegion region : world.regions()) {
                zoneCounts.add(region.zones().size());
                storeCounts.add(region.stores().size());
                for (CatalogueStore store : region.stores()) {
                    capacities.add(store.capacityBytes() == null ? "unlimited" : store.capacityBytes() / GIB + " GiB");
                    assertThat(store.storageTypes()).isNotEmpty();
                    if (region.zones().isEmpty()) {
                        assertThat(store.zone()).isNull();
                        assertThat(store.storageTypes()).doesNotContain(StorageType.Standard_ZRS);
                    } else {
                        assertThat(region.zones()).contains(store.zone());
                    }
                }
            }
            sizesInGib.add(world.sizeBytes() / GIB);
            missingRegionTargeted.add(world.requests().size() > world.regions().size());
            world.requests().forEach(request -> replicaCounts.add(request.replicas()));
            world.loads()
                    .values()
                    .forEach(loads -> loads.values().forEach(load -> loadedHalfGibs.add(load.bytesUsed() / (GIB / 2))));
        }
        assertThat(regionCounts).containsExactly(1, 2, 3);
        assertThat(zoneCounts).containsExactly(0, 1, 2, 3);
        assertThat(storeCounts).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(sizesInGib).containsExactly(1L, 2L, 3L);
        assertThat(capacities).contains("unlimited", "1 GiB", "12 GiB").hasSize(13);
        assertThat(missingRegionTargeted).containsExactlyInAnyOrder(true, false);
        assertThat(replicaCounts).isEqualTo(range(1, 8));
        assertThat(loadedHalfGibs).contains(0L, 28L).allMatch(halfGibs -> halfGibs <= 28);
    }

    @Test
    void updateSequencesHaveOneToEightUpdatesOfEveryKind() {
        Set<Integer> lengths = new TreeSet<>();
        Set<String> kinds = new TreeSet<>();
        for (int n = 0; n < SAMPLES; n++) {
            List<World.Update> updates = Worlds.updates(random);
            lengths.add(updates.size());
            updates.forEach(update -> kinds.add(update.getClass().getSimpleName()));
        }
        assertThat(lengths).isEqualTo(range(1, 8));
        assertThat(kinds)
                .isEqualTo(Arrays.stream(World.Update.class.getPermittedSubclasses())
                        .map(Class::getSimpleName)
                        .collect(Collectors.toCollection(TreeSet::new)));
    }

    @Test
    void countSequencesHaveOneToEightCountsOfOneToEightReplicas() {
        Set<Integer> lengths = new TreeSet<>();
        Set<Integer> counts = new TreeSet<>();
        for (int n = 0; n < SAMPLES; n++) {
            List<Integer> sequence = Worlds.replicaCounts(random);
            lengths.add(sequence.size());
            counts.addAll(sequence);
        }
        assertThat(lengths).isEqualTo(range(1, 8));
        assertThat(counts).isEqualTo(range(1, 8));
    }

    private static Set<Integer> range(int from, int to) {
        return IntStream.rangeClosed(from, to).boxed().collect(Collectors.toCollection(TreeSet::new));
    }
}
