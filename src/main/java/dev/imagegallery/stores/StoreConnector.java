package dev.imagegallery.stores;

import dev.imagegallery.api.Region;
import dev.imagegallery.api.Store;
import dev.imagegallery.replication.FailureReason;
import dev.imagegallery.replication.ImageSource;
import dev.imagegallery.replication.ObjectStore;
import dev.imagegallery.replication.SourceNotAllowedException;
import dev.imagegallery.replication.StoreClients;
import dev.imagegallery.replication.StoreConnection;
import dev.imagegallery.replication.StoreConnection.S3Service;
import dev.imagegallery.replication.StoreCredentials;
import dev.imagegallery.replication.StoreUnavailableException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Opens a Region's stores as replication and probes use them: with the credentials and CA bundle
 * of the Secrets the store names, read from the operator's namespace at each use. Tells whoever
 * asks when a copy failed at a store (its Region then checks its stores at once), and when a store
 * Secret changes or a store answers again, after which a copy that failed at its store may succeed.
 */
@Singleton
public class StoreConnector {
    private static final Logger LOG = Logger.getLogger(StoreConnector.class);

    private final KubernetesClient client;
    private final StoreSecrets secrets;
    private final List<Runnable> storeBackListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<String>> copyFailedListeners = new CopyOnWriteArrayList<>();

    public StoreConnector(KubernetesClient client, StoreSecrets secrets) {
        this.client = client;
        this.secrets = secrets;
    }

    /** Calls {@code listener} with a Region's name whenever a copy failed at one of its stores. */
    public void onCopyFailedAtStore(Consumer<String> listener) {
        copyFailedListeners.add(listener);
    }

    /** A copy into a store of {@code region} failed at the store: its Region should look at its stores now. */
    public void copyFailedAtStore(String region) {
        copyFailedListeners.forEach(listener -> listener.accept(region));
    }

    /** Calls {@code listener} whenever a store that could not be reached answers again. */
    public void onStoreBack(Runnable listener) {
        storeBackListeners.add(listener);
    }

    /** A Region's reconcile found its store {@code store}, unreachable before, answering again. */
    public void storeBack(String region, String store) {
        LOG.infof("Store %s of Region %s answers again", store, region);
        storeBackListeners.forEach(Runnable::run);
    }

    /** Calls {@code listener} with the name of a store Secret whenever it was added, changed or deleted. */
    public void onSecretChange(Consumer<String> listener) {
        secrets.onChange(listener);
    }

    /**
     * The store {@code spec} describes. Its Secrets are read at each operation, so a rotated Secret
     * takes effect at the next one, retries of a running copy included.
     */
    public SecretBackedStore open(Store spec, StoreClients clients) {
        return new SecretBackedStore(URI.create(spec.endpoint), () -> ObjectStore.open(connection(spec), clients));
    }

    /**
     * The {@code s3://} or {@code oci://} source at {@code url}, opened in the catalogue store whose
     * endpoint covers it, with that store's credentials. The caller has checked the admin's policy.
     *
     * @throws SourceNotAllowedException when no store of any Region covers the URL
     */
    public ImageSource source(URI url, StoreClients clients) throws IOException {
        Store covering = client.resources(Region.class).list().getItems().stream()
                .flatMap(region -> region.getSpec().stores.stream())
                .filter(store -> covers(store.endpoint, url.toString()))
                .findFirst()
                .orElseThrow(() -> new SourceNotAllowedException(
                        "spec.source.url is in no store of the Region catalogue: s3:// and oci:// sources are read"
                                + " with the credentials of the catalogue store whose endpoint covers them"));
        return open(covering, clients).source(url);
    }

    /** Whether {@code url} lies below {@code endpoint}, at a path segment boundary. */
    static boolean covers(String endpoint, String url) {
        String base = endpoint.endsWith("/") ? endpoint : endpoint + "/";
        return url.startsWith(base);
    }

    /** How to reach the store now, with what its Secrets hold now. */
    StoreConnection connection(Store spec) throws StoreUnavailableException {
        URI endpoint = URI.create(spec.endpoint);
        Optional<S3Service> s3 = Optional.ofNullable(spec.s3)
                .map(s -> new S3Service(
                        URI.create(s.url),
                        s.region == null ? "us-east-1" : s.region,
                        Boolean.TRUE.equals(s.pathStyle)));
        StoreCredentials credentials = spec.credentialsSecretRef == null
                ? StoreCredentials.NONE
                : credentials(endpoint, spec.credentialsSecretRef.name);
        Optional<String> caPem = spec.tls == null
                ? Optional.empty()
                : Optional.of(caPem(spec.tls.caSecretRef.name, spec.tls.caSecretRef.key));
        return new StoreConnection(endpoint, s3, credentials, caPem);
    }

    private StoreCredentials credentials(URI endpoint, String secret) throws StoreUnavailableException {
        Map<String, String> data = read(secret, FailureReason.AuthenticationFailed, "credentialsSecretRef");
        if ("s3".equals(endpoint.getScheme())) {
            return new StoreCredentials.AccessKeys(
                    required(data, secret, "accessKeyId"),
                    required(data, secret, "secretAccessKey"),
                    data.get("sessionToken"));
        }
        if (data.containsKey("token")) {
            return new StoreCredentials.Token(data.get("token"));
        }
        return new StoreCredentials.UsernamePassword(
                required(data, secret, "username"), required(data, secret, "password"));
    }

    private String caPem(String secret, String key) throws StoreUnavailableException {
        String name = key == null ? "ca.crt" : key;
        String pem = read(secret, FailureReason.CertificateInvalid, "tls.caSecretRef")
                .get(name);
        if (pem == null) {
            throw new StoreUnavailableException(
                    FailureReason.CertificateInvalid,
                    "Secret " + secret + " named by tls.caSecretRef has no key " + name,
                    null);
        }
        return pem;
    }

    private Map<String, String> read(String secret, FailureReason reason, String field)
            throws StoreUnavailableException {
        try {
            return secrets.data(secret)
                    .orElseThrow(() -> new StoreUnavailableException(
                            reason,
                            "Secret " + secret + " named by " + field + " does not exist in namespace "
                                    + secrets.namespace(),
                            null));
        } catch (KubernetesClientException e) {
            throw new StoreUnavailableException(
                    "cannot read Secret " + secret + " in namespace " + secrets.namespace() + ": HTTP " + e.getCode(),
                    e);
        }
    }

    private static String required(Map<String, String> data, String secret, String key)
            throws StoreUnavailableException {
        String value = data.get(key);
        if (value == null || value.isEmpty()) {
            throw new StoreUnavailableException(
                    FailureReason.AuthenticationFailed,
                    "Secret " + secret + " named by credentialsSecretRef has no key " + key,
                    null);
        }
        return value;
    }
}
