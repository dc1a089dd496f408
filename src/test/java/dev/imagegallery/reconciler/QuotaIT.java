package dev.imagegallery.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegallery.api.Gallery;
import dev.imagegallery.api.ImageDefinition;
import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.testing.Await;
import dev.imagegallery.testing.Examples;
import dev.imagegallery.testing.TestCluster;
import dev.imagegallery.testing.TestOperator;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Quotas per namespace, with small configured limits: the objects beyond them are Stalled, the earlier ones untouched. */
class QuotaIT {

    /** Two galleries, two definitions and two versions per region per namespace. */
    @RegisterExtension
    static final TestOperator operator = TestOperator.withTestSettings(Map.of(
            "image-gallery.galleries-per-namespace",
            "2",
            "image-gallery.image-definitions-per-namespace",
            "2",
            "image-gallery.image-versions-per-namespace-per-region",
            "2"));

    private final KubernetesClient client = TestCluster.client();

    @Test
    void objectsBeyondTheQuotaAreStalledWithQuotaExceeded() {
        String ns = TestCluster.newNamespace("quota");
        Examples.applyRegions(client);
        // Created within the same second, claimants are ordered by name (creation times have second resolution).
        for (String name : new String[] {"g1", "g2", "g3"}) {
            create(ns, "Gallery", "contoso.images", name);
        }
        Await.condition(client, Gallery.class, ns, "g2", "Ready", "True", "Available");
        var galleryOver = Await.condition(client, Gallery.class, ns, "g3", "Stalled", "True", "QuotaExceeded");
        assertThat(galleryOver.message).contains("already has 2 galleries");

        GenericKubernetesResource first = Examples.get("ImageDefinition", "ubuntu-22.04", ns);
        Examples.set(first, "spec.galleryName", "g1");
        client.resource(first).create();
        GenericKubernetesResource second = Examples.get("ImageDefinition", "windows-2022", ns);
        Examples.set(second, "spec.galleryName", "g1");
        client.resource(second).create();
        GenericKubernetesResource third = Examples.get("ImageDefinition", "ubuntu-22.04", ns);
        third.getMetadata().setName("z-third");
        Examples.set(third, "spec.galleryName", "g2");
        client.resource(third).create();
        Await.condition(client, ImageDefinition.class, ns, "windows-2022", "Ready", "True", "Available");
        Await.condition(client, ImageDefinition.class, ns, "z-third", "Stalled", "True", "QuotaExceeded");

        for (String version : new String[] {"ubuntu-22.04-1.0.0", "ubuntu-22.04-1.1.0", "ubuntu-22.04-1.2.0"}) {
            client.resource(Examples.get("ImageVersion", version, ns)).create();
        }
        Await.condition(client, ImageVersion.class, ns, "ubuntu-22.04-1.1.0", "Ready", "True", "Replicated");
        var versionOver = Await.condition(
                client, ImageVersion.class, ns, "ubuntu-22.04-1.2.0", "Stalled", "True", "QuotaExceeded");
        assertThat(versionOver.message).contains("already has 2 image versions targeting region westeurope");
    }

    private void create(String ns, String kind, String example, String name) {
        GenericKubernetesResource object = Examples.get(kind, example, ns);
        object.getMetadata().setName(name);
        client.resource(object).create();
    }
}
