package dev.imagegallery.testing;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The manifests in examples/, as users apply them, for tests to start from. */
public final class Examples {
    private Examples() {}

    /** Every object of every file in examples/, in file order. */
    public static List<GenericKubernetesResource> all() {
        List<GenericKubernetesResource> objects = new ArrayList<>();
        files("examples").forEach(file -> objects.addAll(in(file)));
        return objects;
    }

    /** The {@code .yaml} files of a folder of the project such as {@code examples/consume}, sorted. */
    public static List<Path> files(String folder) {
        try (Stream<Path> files = Files.list(TestCluster.projectDir().resolve(folder))) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The objects of one manifest file, in order. */
    public static List<GenericKubernetesResource> in(Path file) {
        List<GenericKubernetesResource> objects = new ArrayList<>();
        try {
            for (String document : Files.readString(file).split("(?m)^---$")) {
                if (document.lines().anyMatch(l -> l.startsWith("kind:"))) {
                    objects.add(Serialization.unmarshal(document, GenericKubernetesResource.class));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return objects;
    }

    /**
     * Applies every example but the Namespace (server-side apply, so again is fine), the namespaced
     * ones into {@code namespace}; returns the objects as the API server stored them.
     */
    public static List<GenericKubernetesResource> applyAll(KubernetesClient client, String namespace) {
        List<GenericKubernetesResource> applied = new ArrayList<>();
        for (GenericKubernetesResource example : all()) {
            if (!"Namespace".equals(example.getKind())) {
                if (example.getMetadata().getNamespace() != null) {
                    example.getMetadata().setNamespace(namespace);
                }
                applied.add(client.resource(example).forceConflicts().serverSideApply());
            }
        }
        return applied;
    }

    /** Applies the example Regions (cluster-scoped, shared by every test). */
    public static void applyRegions(KubernetesClient client) {
        all().stream()
                .filter(o -> o.getKind().equals("Region"))
                .forEach(r -> client.resource(r).forceConflicts().serverSideApply());
    }

    /**
     * Applies the example gallery and the definition {@code ubuntu-22.04} into {@code namespace}: the
     * parents a version of the tests needs. Again and again, as a version per test may.
     */
    public static void applyUbuntuDefinition(KubernetesClient client, String namespace) {
        client.resource(get("Gallery", "contoso.images", namespace))
                .forceConflicts()
                .serverSideApply();
        client.resource(get("ImageDefinition", "ubuntu-22.04", namespace))
                .forceConflicts()
                .serverSideApply();
    }

    /**
     * Applies the example gallery and definition and creates the version ubuntu-22.04-1.0.0 in
     * {@code namespace}: {@code replicas} copies in {@code region} of {@code source}, read from {@code url}.
     */
    public static void createUbuntuVersion(
            KubernetesClient client, String namespace, String region, String url, Source source, int replicas) {
        applyUbuntuDefinition(client, namespace);
        client.resource(version(
                        namespace,
                        "ubuntu-22.04-1.0.0",
                        "ubuntu-22.04",
                        "1.0.0",
                        region,
                        url,
                        source.sha256(),
                        source.size(),
                        List.of(Map.of("name", region, "regionalReplicaCount", replicas))))
                .create();
    }

    /** A fresh copy of one example object, moved to the given namespace if it is namespaced. */
    public static GenericKubernetesResource get(String kind, String name, String namespace) {
        GenericKubernetesResource found = all().stream()
                .filter(o ->
                        o.getKind().equals(kind) && o.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no example " + kind + "/" + name));
        if (found.getMetadata().getNamespace() != null) {
            found.getMetadata().setNamespace(namespace);
        }
        return found;
    }

    /**
     * The example version ubuntu-22.04-1.0.0 made another: its name, definition, number, source
     * (size null: the operator reads it) and target regions replaced, moved to {@code namespace}.
     */
    public static GenericKubernetesResource version(
            String namespace,
            String name,
            String definition,
            String number,
            String sourceRegion,
            String url,
            String sha256,
            Long size,
            List<Map<String, Object>> targets) {
        GenericKubernetesResource version = get("ImageVersion", "ubuntu-22.04-1.0.0", namespace);
        version.getMetadata().setName(name);
        set(version, "spec.imageDefinitionName", definition);
        set(version, "spec.version", number);
        set(version, "spec.sourceRegion", sourceRegion);
        set(version, "spec.source.url", url);
        set(version, "spec.source.sha256", sha256);
        set(version, "spec.source.sizeBytes", size);
        set(version, "spec.publishingProfile.targetRegions", targets);
        return version;
    }

    /** Sets the value at a dotted path such as {@code spec.targetRegions[0].name}; null removes it. */
    @SuppressWarnings("unchecked")
    public static void set(HasMetadata object, String path, Object value) {
        Map<String, Object> root = ((GenericKubernetesResource) object).getAdditionalProperties();
        String[] parts = path.split("\\.");
        Object node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            node = child(node, parts[i]);
        }
        String last = parts[parts.length - 1];
        if (last.endsWith("]")) {
            List<Object> list = (List<Object>) child(node, last.substring(0, last.indexOf('[')));
            int index = Integer.parseInt(last.substring(last.indexOf('[') + 1, last.length() - 1));
            if (value == null) {
                list.remove(index);
            } else {
                list.set(index, value);
            }
        } else if (value == null) {
            ((Map<String, Object>) node).remove(last);
        } else {
            ((Map<String, Object>) node).put(last, value);
        }
    }

    @SuppressWarnings("unchecked")
    private static Object child(Object node, String part) {
        if (part.endsWith("]")) {
            List<Object> list = (List<Object>) ((Map<String, Object>) node).get(part.substring(0, part.indexOf('[')));
            return list.get(Integer.parseInt(part.substring(part.indexOf('[') + 1, part.length() - 1)));
        }
        return ((Map<String, Object>) node).computeIfAbsent(part, k -> new java.util.LinkedHashMap<String, Object>());
    }
}
