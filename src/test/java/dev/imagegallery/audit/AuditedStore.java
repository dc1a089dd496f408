package dev.imagegallery.audit;

import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.testing.Await;
import dev.imagegallery.testing.Examples;
import dev.imagegallery.testing.NginxServer;
import dev.imagegallery.testing.Source;
import dev.imagegallery.testing.TestCluster;
import dev.imagegallery.testing.TestRegions;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * A Region of one directory store holding the Ready version ubuntu-22.04-1.0.0 of a namespace of
 * its own, and what a test drops into it by hand: what the audit tests start from.
 *
 * @param folder the definition's folder in the store, {@code <namespace>/contoso.images/ubuntu-22.04/}
 */
record AuditedStore(String namespace, String region, Path store, Source source, String folder) {
    static AuditedStore withAReadyVersion(KubernetesClient client, NginxServer sources, Path tmp, int replicas)
            throws IOException {
        String ns = TestCluster.newNamespace("audit");
        String region = "audit-" + UUID.randomUUID().toString().substring(0, 6);
        Path store = Files.createDirectory(tmp.resolve("store"));
        TestRegions.create(client, region, Map.of("s", store.toUri().toString()));
        Source source = Source.of(sources.root().resolve(region + ".img"), 1 << 20);
        Examples.createUbuntuVersion(
                client, ns, region, sources.uri("/" + region + ".img").toString(), source, replicas);
        Await.condition(client, ImageVersion.class, ns, "ubuntu-22.04-1.0.0", "Ready", "True", "Replicated");
        return new AuditedStore(ns, region, store, source, ns + "/contoso.images/ubuntu-22.04/");
    }

    /**
     * Drops in, by hand, a replica of a version whose status was lost (marker and all) and a file of
     * somebody else's; returns their paths.
     */
    String[] dropOrphans() throws IOException {
        Path leftover = Files.createDirectories(store.resolve(folder + "0.9.0")).resolve("0");
        Files.write(leftover, new byte[100]);
        Files.writeString(store.resolve(folder + "0.9.0/0.sha256"), "0".repeat(64) + "\n");
        Files.writeString(store.resolve("notes.txt"), "who put this here?");
        return new String[] {folder + "0.9.0/0", "notes.txt"};
    }
}
