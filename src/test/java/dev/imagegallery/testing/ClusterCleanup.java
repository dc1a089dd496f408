package dev.imagegallery.testing;

import static org.awaitility.Awaitility.await;

import dev.imagegallery.api.Gallery;
import dev.imagegallery.api.ImageDefinition;
import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.api.Region;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Leaves the cluster as each integration test found it: the namespaces, Regions and Helm releases
 * that appeared during a test (or during a class's {@code @BeforeAll}) are removed after it, with
 * everything in them. So no test sees another's objects, and none needs to filter them out.
 * Registered for every *IT class through JUnit's extension auto-detection.
 *
 * <p>The control plane has no controller manager: a deleted namespace would stay Terminating with
 * its objects, which every operator would still see. This does what the namespace controller would:
 * our objects first (the running operator honours its finalizers, deleting replicas from their
 * stores; with no operator running, the finalizers are dropped), then every other namespaced object,
 * then the namespace itself.
 */
public class ClusterCleanup implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(ClusterCleanup.class);
    private static final Duration DELETION_TIMEOUT = Duration.ofSeconds(60);
    private static final List<Class<? extends CustomResource<?, ?>>> NAMESPACED_KINDS =
            List.of(ImageVersion.class, ImageDefinition.class, Gallery.class);
    private static List<ResourceDefinitionContext> namespacedResources;

    /** What existed before: namespaces, Regions, and Helm releases as namespace/name. */
    private record Snapshot(Set<String> namespaces, Set<String> regions, Set<String> releases) {}

    @Override
    public void beforeAll(ExtensionContext context) {
        inOwnClassLoader(() -> snapshot(context));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        inOwnClassLoader(() -> snapshot(context));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        inOwnClassLoader(() -> restore(context));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        inOwnClassLoader(() -> restore(context));
    }

    /** Removes what the class made, now; {@link TestOperator} calls this before it stops. */
    static void restoreClass(ExtensionContext classContext) {
        restore(classContext);
    }

    /**
     * Around a @QuarkusTest the context class loader is Quarkus's, whose fabric8 classes are not this
     * class's: the client this uses must look its model classes up in its own loader.
     */
    private static void inOwnClassLoader(Runnable action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(ClusterCleanup.class.getClassLoader());
        try {
            action.run();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static boolean applies(ExtensionContext context) {
        return context.getTestClass().map(c -> c.getSimpleName().endsWith("IT")).orElse(false);
    }

    private static void snapshot(ExtensionContext context) {
        if (!applies(context)) {
            return;
        }
        KubernetesClient client = TestCluster.client();
        context.getStore(STORE)
                .put(
                        context.getUniqueId(),
                        new Snapshot(
                                names(client.namespaces().list().getItems()),
                                names(client.resources(Region.class).list().getItems()),
                                releases(client)));
    }

    private static void restore(ExtensionContext context) {
        Snapshot before = context.getStore(STORE).get(context.getUniqueId(), Snapshot.class);
        if (before == null) {
            return;
        }
        KubernetesClient client = TestCluster.client();
        for (String release : releases(client)) {
            if (!before.releases().contains(release)) {
                String[] at = release.split("/", 2);
                Cli.helm("uninstall", at[1], "-n", at[0], "--wait");
            }
        }
        List<String> namespaces = client.namespaces().list().getItems().stream()
                .map(n -> n.getMetadata().getName())
                .filter(n -> !before.namespaces().contains(n))
                .toList();
        List<Region> regions = client.resources(Region.class).list().getItems().stream()
                .filter(r -> !before.regions().contains(r.getMetadata().getName()))
                .toList();
        context.getStore(STORE).remove(context.getUniqueId());
        try {
            deleteOurObjects(client, namespaces);
            // After the versions: deleting their replicas needs the Regions' stores.
            deleteAndAwait(client, regions);
        } finally {
            // Whatever failed above, the namespaces go: left behind, they would show in every later test.
            namespaces.forEach(ns -> emptyAndDelete(client, ns));
        }
    }

    /**
     * Deletes these namespaces and everything in them now, as after a test; for a test whose operator
     * (a process) must honour the finalizers before the test ends and stops it.
     */
    public static void deleteNamespaces(String... namespaces) {
        KubernetesClient client = TestCluster.client();
        deleteOurObjects(client, List.of(namespaces));
        List.of(namespaces).forEach(ns -> emptyAndDelete(client, ns));
    }

    private static void deleteOurObjects(KubernetesClient client, List<String> namespaces) {
        for (Class<? extends CustomResource<?, ?>> kind : NAMESPACED_KINDS) {
            // In order: a version keeps its definition, a definition its gallery, until it is gone.
            List<HasMetadata> objects = namespaces.stream()
                    .flatMap(ns -> client.resources(kind).inNamespace(ns).list().getItems().stream())
                    .map(HasMetadata.class::cast)
                    .toList();
            deleteAndAwait(client, objects);
        }
    }

    /** Deletes the objects and waits until they are gone; an operator that runs removes its finalizers, otherwise this does. */
    private static void deleteAndAwait(KubernetesClient client, List<? extends HasMetadata> objects) {
        if (objects.isEmpty()) {
            return;
        }
        objects.forEach(o -> client.resource(o).withGracePeriod(0).delete());
        if (!TestOperator.anyRunning()) {
            dropFinalizers(client, objects);
        }
        try {
            await().atMost(DELETION_TIMEOUT)
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> remaining(client, objects).isEmpty());
        } catch (ConditionTimeoutException e) {
            List<String> left = remaining(client, objects).stream()
                    .map(o -> o.getKind() + " " + o.getMetadata().getNamespace() + "/"
                            + o.getMetadata().getName())
                    .toList();
            dropFinalizers(client, remaining(client, objects));
            throw new AssertionError(
                    "the operator did not let these go within " + DELETION_TIMEOUT.toSeconds()
                            + " s of their deletion: " + left
                            + " (their finalizers are now dropped); a test that blocks deletion must unblock it before it ends",
                    e);
        }
    }

    private static List<HasMetadata> remaining(KubernetesClient client, Collection<? extends HasMetadata> objects) {
        return objects.stream()
                .<HasMetadata>map(o -> client.resource(o).get())
                .filter(o -> o != null)
                .toList();
    }

    private static void dropFinalizers(KubernetesClient client, Collection<? extends HasMetadata> objects) {
        for (HasMetadata object : remaining(client, objects)) {
            if (object.getMetadata().getFinalizers() != null
                    && !object.getMetadata().getFinalizers().isEmpty()) {
                client.resource(object)
                        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"finalizers\":null}}");
            }
        }
    }

    /** As the namespace controller does: every object in the namespace deleted, then the namespace finalized. */
    private static void emptyAndDelete(KubernetesClient client, String ns) {
        for (ResourceDefinitionContext resource : namespacedResources(client)) {
            client.genericKubernetesResources(resource)
                    .inNamespace(ns)
                    .withGracePeriod(0)
                    .delete();
        }
        Namespace namespace = client.namespaces().withName(ns).get();
        if (namespace == null) {
            return;
        }
        client.namespaces().withName(ns).withGracePeriod(0).delete();
        namespace = client.namespaces().withName(ns).get();
        if (namespace != null) {
            namespace.getSpec().setFinalizers(List.of());
            client.namespaces().resource(namespace).subresource("finalize").update();
        }
        await().atMost(DELETION_TIMEOUT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> client.namespaces().withName(ns).get() == null);
    }

    /** Every namespaced kind the API server can list and delete as a collection, but ours (deleted first, by kind). */
    private static synchronized List<ResourceDefinitionContext> namespacedResources(KubernetesClient client) {
        if (namespacedResources == null) {
            List<ResourceDefinitionContext> found = new ArrayList<>();
            List<String> groupVersions = new ArrayList<>(List.of("v1"));
            client.getApiGroups().getGroups().stream()
                    .filter(g -> !g.getName().equals("imagegallery.dev"))
                    .forEach(g -> groupVersions.add(g.getPreferredVersion().getGroupVersion()));
            for (String groupVersion : groupVersions) {
                for (APIResource resource : client.getApiResources(groupVersion).getResources()) {
                    if (Boolean.TRUE.equals(resource.getNamespaced())
                            && !resource.getName().contains("/")
                            && resource.getVerbs().containsAll(List.of("list", "deletecollection"))) {
                        String group =
                                groupVersion.contains("/") ? groupVersion.substring(0, groupVersion.indexOf('/')) : "";
                        String version = groupVersion.substring(groupVersion.indexOf('/') + 1);
                        found.add(new ResourceDefinitionContext.Builder()
                                .withGroup(group)
                                .withVersion(version)
                                .withPlural(resource.getName())
                                .withKind(resource.getKind())
                                .withNamespaced(true)
                                .build());
                    }
                }
            }
            namespacedResources = found;
        }
        return namespacedResources;
    }

    private static Set<String> names(List<? extends HasMetadata> objects) {
        Set<String> names = new HashSet<>();
        objects.forEach(o -> names.add(o.getMetadata().getName()));
        return names;
    }

    /** Helm keeps each release in Secrets labelled owner=helm, in the release's namespace. */
    private static Set<String> releases(KubernetesClient client) {
        Set<String> releases = new HashSet<>();
        Stream.of(client.secrets()
                        .inAnyNamespace()
                        .withLabel("owner", "helm")
                        .list()
                        .getItems())
                .flatMap(List::stream)
                .forEach(s -> releases.add(s.getMetadata().getNamespace() + "/"
                        + s.getMetadata().getLabels().get("name")));
        return releases;
    }
}
