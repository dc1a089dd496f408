package dev.imagegallery.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.api.ImageVersionSpec;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class VersionFeedTest {
    private final VersionFeed feed = new VersionFeed();
    private final CachedFields.CompactVersions store = new CachedFields.CompactVersions();

    {
        store.reportTo(feed);
        feed.attach(new StoreCache(store));
    }

    @Test
    void aListenerWokenByAChangeReadsTheDefinitionsVersionsWithTheChangeInThem() {
        List<List<String>> seen = new ArrayList<>();
        feed.listen((older, newer) -> seen.add(names(feed.ofDefinition("team", "ubuntu"))));
        ImageVersion first = version("ubuntu-1-0-0");
        ImageVersion second = version("ubuntu-1-0-1");

        store.put(Cache.metaNamespaceKeyFunc(first), first);
        store.put(Cache.metaNamespaceKeyFunc(second), second);
        store.remove(Cache.metaNamespaceKeyFunc(first));

        assertThat(seen)
                .containsExactly(
                        List.of("ubuntu-1-0-0"), List.of("ubuntu-1-0-0", "ubuntu-1-0-1"), List.of("ubuntu-1-0-1"));
        assertThat(feed.ofDefinition("team", "other")).isEmpty();
        assertThat(feed.ofDefinition("elsewhere", "ubuntu")).isEmpty();
    }

    @Test
    void eachChangeReachesTheListenersWithTheVersionBeforeAndAfterIt() {
        List<String> changes = new ArrayList<>();
        feed.listen((older, newer) -> changes.add(resourceVersion(older) + " -> " + resourceVersion(newer)));
        ImageVersion created = version("ubuntu-1-0-0");
        ImageVersion updated = version("ubuntu-1-0-0");
        updated.getMetadata().setResourceVersion("4712");

        store.put(Cache.metaNamespaceKeyFunc(created), created);
        store.put(Cache.metaNamespaceKeyFunc(updated), updated);
        store.remove(Cache.metaNamespaceKeyFunc(updated));
        store.remove(Cache.metaNamespaceKeyFunc(updated));

        assertThat(changes).containsExactly("null -> 4711", "4711 -> 4712", "4712 -> null");
    }

    /**
     * Seeded property: after any sequence of versions created, changed (definition and target regions) and
     * deleted, the feed's versions by definition and by namespace and target region are those a full pass
     * over the cache finds.
     */
    @Test
    void theKeptIndexesAlwaysEqualAFullPassOverTheCache() {
        Random random = new Random(18);
        List<String> namespaces = List.of("team", "other");
        List<String> definitions = List.of("ubuntu", "debian", "alpine");
        List<String> regions = List.of("west", "east", "north", "south");
        for (int step = 0; step < 2_000; step++) {
            String key = namespaces.get(random.nextInt(2)) + "/v" + random.nextInt(40);
            if (random.nextInt(4) == 0) {
                store.remove(key);
            } else {
                ImageVersion version = version("v" + key.substring(key.indexOf("/v") + 2));
                version.getMetadata().setNamespace(key.substring(0, key.indexOf('/')));
                version.getSpec().imageDefinitionName = definitions.get(random.nextInt(definitions.size()));
                List<String> targets = new ArrayList<>(regions);
                Collections.shuffle(targets, random);
                version.getSpec().publishingProfile.targetRegions = targets.subList(0, 1 + random.nextInt(3)).stream()
                        .map(name -> {
                            var target = new ImageVersionSpec.TargetRegion();
                            target.name = name;
                            return target;
                        })
                        .toList();
                store.put(key, version);
            }
            for (String namespace : namespaces) {
                for (String definition : definitions) {
                    assertThat(names(feed.ofDefinition(namespace, definition)))
                            .isEqualTo(names(store.values()
                                    .filter(v -> v.getMetadata().getNamespace().equals(namespace)
                                            && v.getSpec().imageDefinitionName.equals(definition))
                                    .toList()));
                }
                for (String region : regions) {
                    List<ImageVersion> targeting = store.values()
                            .filter(v -> v.getMetadata().getNamespace().equals(namespace)
                                    && v.getSpec().publishingProfile.targetRegions.stream()
                                            .anyMatch(t -> t.name.equals(region)))
                            .toList();
                    assertThat(feed.targeting(namespace, region)).hasSize(targeting.size());
                    assertThat(names(List.copyOf(feed.targeting(namespace, region))))
                            .isEqualTo(names(targeting));
                }
            }
        }
    }

    private static ImageVersion version(String name) {
        ImageVersion version = CachedFieldsTest.version();
        version.getMetadata().setName(name);
        return version;
    }

    private static String resourceVersion(ImageVersion version) {
        return version == null ? "null" : version.getMetadata().getResourceVersion();
    }

    private static List<String> names(List<ImageVersion> versions) {
        return versions.stream().map(v -> v.getMetadata().getName()).sorted().toList();
    }

    /** The version controller's cache as the feed reads it: its store, by name. */
    private record StoreCache(CachedFields.CompactVersions store) implements IndexerResourceCache<ImageVersion> {
        @Override
        public Optional<ImageVersion> get(ResourceID id) {
            return Optional.ofNullable(store.get(id.getNamespace().orElseThrow() + "/" + id.getName()));
        }

        @Override
        public Stream<ResourceID> keys() {
            return store.values().map(ResourceID::fromResource);
        }

        @Override
        public Stream<ImageVersion> list(Predicate<ImageVersion> predicate) {
            return store.values().filter(predicate);
        }

        @Override
        public Stream<ImageVersion> list(String namespace, Predicate<ImageVersion> predicate) {
            return list(predicate.and(v -> v.getMetadata().getNamespace().equals(namespace)));
        }

        @Override
        public void addIndexers(Map<String, Function<ImageVersion, List<String>>> indexers) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<ImageVersion> byIndex(String indexName, String indexKey) {
            throw new UnsupportedOperationException();
        }
    }
}
