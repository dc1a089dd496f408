package dev.imagegallery.testing;

import dev.imagegallery.api.Region;
import dev.imagegallery.api.RegionSpec;
import dev.imagegallery.api.S3;
import dev.imagegallery.api.SecretReference;
import dev.imagegallery.api.Store;
import dev.imagegallery.api.Tls;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One server of each store kind, and a source server, as an integration test of stores starts them:
 * an S3 server with a bucket and an OCI registry (both over TLS, their certificates from one test
 * CA), a WebDAV nginx and an nginx serving sources; with the Regions' stores and Secrets that reach
 * them. Register it as a static extension, or start and close it by hand.
 */
public final class StoreServers implements TestServer {
    /** The Secrets the stores name: the S3 keys, the registry's user and the test CA. */
    public static final String S3_CREDENTIALS = "s3-credentials";

    public static final String REGISTRY_CREDENTIALS = "registry-credentials";
    public static final String TEST_CA = "test-ca";

    public final TestPki pki = TestPki.create();
    public final S3Server s3 = new S3Server(pki);
    public final OciRegistry registry = new OciRegistry(pki);
    public final NginxServer dav = new NginxServer();
    public final NginxServer sources = NginxServer.forSources();
    private final String bucket;

    public StoreServers(String bucket) {
        this.bucket = bucket;
    }

    @Override
    public void start() {
        s3.start();
        registry.start();
        dav.start();
        sources.start();
        s3.createBucket(bucket);
    }

    @Override
    public void close() {
        s3.close();
        registry.close();
        dav.close();
        sources.close();
        pki.close();
    }

    /** A store of the bucket, signed in with {@link #S3_CREDENTIALS}, trusting {@link #TEST_CA}. */
    public Store bucketStore(String name) {
        Store store = store(name, "s3://" + bucket);
        store.s3 = new S3();
        store.s3.url = s3.url().toString();
        store.s3.region = s3.region();
        store.s3.pathStyle = true;
        store.credentialsSecretRef = secretRef(S3_CREDENTIALS);
        store.tls = ca(TEST_CA);
        return store;
    }

    /** A store of the registry below {@code prefix}, signed in with {@link #REGISTRY_CREDENTIALS}, trusting {@code ca}. */
    public Store registryStore(String name, String prefix, String caSecret) {
        Store store = store(name, "oci://" + registry.host() + "/" + prefix);
        store.credentialsSecretRef = secretRef(REGISTRY_CREDENTIALS);
        store.tls = ca(caSecret);
        return store;
    }

    /** Writes the stores' working Secrets into {@code namespace} (the operator's), making it first if need be. */
    public void writeSecretsInto(KubernetesClient client, String namespace) {
        client.resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(namespace)
                        .endMetadata()
                        .build())
                .serverSideApply();
        writeSecrets(client, namespace, s3.secretAccessKey());
    }

    /** Writes the stores' Secrets into {@code namespace}, with the S3 secret key given (a wrong one breaks it). */
    public void writeSecrets(KubernetesClient client, String namespace, String secretAccessKey) {
        secret(
                client,
                namespace,
                S3_CREDENTIALS,
                Map.of("accessKeyId", s3.accessKeyId(), "secretAccessKey", secretAccessKey));
        secret(
                client,
                namespace,
                REGISTRY_CREDENTIALS,
                Map.of("username", registry.username(), "password", registry.password()));
        secret(client, namespace, TEST_CA, Map.of("ca.crt", pki.caPem()));
    }

    /**
     * The SHA-256 of the bytes at a replica's address, read by a client of the store's kind: the aws CLI
     * for {@code s3://}, skopeo for {@code oci://} (the disk file its image holds, {@code
     * disk/<definition>-<tag>.img}), curl for {@code http://}, the file itself for {@code file://}.
     */
    public String sha256At(String url, Path workDir) {
        if (url.startsWith("s3://")) {
            String path = url.substring("s3://".length());
            return s3.cli().sha256(path.substring(0, path.indexOf('/')), path.substring(path.indexOf('/') + 1));
        }
        if (url.startsWith("oci://")) {
            String reference = url.substring("oci://".length());
            String repository = reference.substring(0, reference.lastIndexOf(':', reference.indexOf('@')));
            String tag = reference.substring(repository.length() + 1, reference.indexOf('@'));
            String definition = repository.substring(repository.lastIndexOf('/') + 1);
            String pinned = repository + reference.substring(reference.indexOf('@'));
            return registry.skopeo()
                    .fileInImage(pinned, 0, "disk/" + definition + "-" + tag + ".img")
                    .sha256();
        }
        if (url.startsWith("file:")) {
            return Source.sha256Of(Path.of(URI.create(url)));
        }
        return Commands.sha256WithCurl(url, Optional.empty(), workDir);
    }

    public static void secret(KubernetesClient client, String namespace, String name, Map<String, String> data) {
        client.resource(new SecretBuilder()
                        .withMetadata(new ObjectMetaBuilder()
                                .withName(name)
                                .withNamespace(namespace)
                                .build())
                        .withStringData(data)
                        .build())
                .forceConflicts()
                .serverSideApply();
    }

    /** A public-cloud Region without zones holding {@code store} alone. */
    public static void region(KubernetesClient client, String name, Store store) {
        Region region = new Region();
        region.setMetadata(new ObjectMetaBuilder().withName(name).build());
        region.setSpec(new RegionSpec());
        region.getSpec().stores = List.of(store);
        client.resource(region).forceConflicts().serverSideApply();
    }

    public static Store store(String name, String endpoint) {
        Store store = new Store();
        store.name = name;
        store.endpoint = endpoint;
        return store;
    }

    private static SecretReference secretRef(String name) {
        SecretReference reference = new SecretReference();
        reference.name = name;
        return reference;
    }

    private static Tls ca(String secret) {
        Tls tls = new Tls();
        tls.caSecretRef = new Tls.SecretKeySelector();
        tls.caSecretRef.name = secret;
        return tls;
    }
}
