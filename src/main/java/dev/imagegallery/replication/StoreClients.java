package dev.imagegallery.replication;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The HTTP clients stores are spoken to with, one per set of trusted certificates, shared by every
 * store that trusts the same ones: clients pool connections and threads, stores are made per use.
 * Registry and S3 clients hold their credentials, so they are kept per {@link StoreConnection}: a
 * rotated Secret makes a new connection, whose client replaces the old one of the same endpoint.
 * S3 clients are lent out ({@link #s3}) so that a replaced one is closed only once nothing uses it.
 */
public final class StoreClients {
    private final Duration connectTimeout;
    private final Map<Optional<String>, HttpClient> httpClients = new ConcurrentHashMap<>();
    private final Map<StoreConnection, RegistryClient> registryClients = new ConcurrentHashMap<>();
    private final S3Clients s3Clients;

    /** @param connectTimeout how long opening a connection to a store may take */
    public StoreClients(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
        this.s3Clients = new S3Clients(connectTimeout);
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * The JDK client trusting {@code caPem}, or the JVM's default certificates when empty. It follows
     * no redirect: the client would send the store's Authorization header along to wherever one
     * points, another origin included, and the streamed PUT follows none either.
     */
    HttpClient http(Optional<String> caPem) throws StoreUnavailableException {
        HttpClient existing = httpClients.get(caPem);
        if (existing != null) {
            return existing;
        }
        HttpClient.Builder builder =
                HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER);
        if (caPem.isPresent()) {
            builder.sslContext(TrustedCertificates.sslContext(caPem.get()));
        }
        return httpClients.computeIfAbsent(caPem, pem -> builder.build());
    }

    /**
     * The client of the registry of an {@code oci://} connection. A registry client signs in by
     * itself, so it is kept per connection: a rotated Secret makes a new connection, and a new client
     * that replaces the old one of the same endpoint (a copy still using the old one finishes with it).
     */
    RegistryClient registry(StoreConnection connection) throws StoreUnavailableException {
        RegistryClient existing = registryClients.get(connection);
        if (existing != null) {
            return existing;
        }
        RegistryClient made = RegistryClient.open(connection, connectTimeout);
        registryClients.keySet().removeIf(other -> other.endpoint().equals(connection.endpoint()));
        RegistryClient raced = registryClients.putIfAbsent(connection, made);
        return raced != null ? raced : made;
    }

    /**
     * Lends the S3 client of {@code connection}, made on first use; the caller closes the lease when
     * it no longer uses the client, which for an upload is when the upload is committed or discarded.
     *
     * <p>One client per connection, since a client holds its credentials. When a connection to a
     * store arrives with other credentials or another CA than the cached one (a rotated Secret), its
     * client replaces the old one, which is closed once its last lease is back: closing it at once
     * would break the uploads and reads still running with it, never closing it would keep its
     * connection pool registered with the SDK's idle-connection reaper for good. The simplest rule
     * that does neither is this count of leases.
     *
     * @throws StoreUnavailableException when the connection cannot make a client: no S3 service, a
     *     CA bundle that is no PEM, or credentials that are not access keys
     */
    S3Clients.Lease s3(StoreConnection connection) throws StoreUnavailableException {
        return s3Clients.lend(connection);
    }
}
