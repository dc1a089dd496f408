package dev.imagegallery.replication;

import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The HTTP clients stores are spoken to with, one per set of trusted certificates, shared by every
 * store that trusts the same ones, and the registry clients of {@code oci://} stores, one per
 * connection: clients pool connections and threads, stores are made per use.
 */
public final class StoreClients {
    private final Duration connectTimeout;
    private final Map<Optional<String>, HttpClient> httpClients = new ConcurrentHashMap<>();
    private final Map<StoreConnection, RegistryClient> registryClients = new ConcurrentHashMap<>();

    /** @param connectTimeout how long opening a connection to a store may take */
    public StoreClients(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The JDK client trusting {@code caPem}, or the JVM's default certificates when empty. */
    HttpClient http(Optional<String> caPem) throws StoreUnavailableException {
        HttpClient existing = httpClients.get(caPem);
        if (existing != null) {
            return existing;
        }
        HttpClient.Builder builder =
                HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NORMAL);
        if (caPem.isPresent()) {
            builder.sslContext(sslContext(caPem.get()));
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

    /** An SSL context that trusts exactly the certificates of {@code caPem}. */
    static SSLContext sslContext(String caPem) throws StoreUnavailableException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers(caPem), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw certificateInvalid(e);
        }
    }

    /** Trust managers that trust exactly the certificates of {@code caPem}. */
    static TrustManager[] trustManagers(String caPem) throws StoreUnavailableException {
        try {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int n = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII)))) {
                trusted.setCertificateEntry("ca-" + n++, certificate);
            }
            if (n == 0) {
                throw new StoreUnavailableException(
                        FailureReason.CertificateInvalid, "the CA bundle holds no PEM certificate", null);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            return factory.getTrustManagers();
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw e instanceof StoreUnavailableException store ? store : certificateInvalid(e);
        }
    }

    private static StoreUnavailableException certificateInvalid(Exception e) {
        return new StoreUnavailableException(
                FailureReason.CertificateInvalid, "the CA bundle cannot be read as PEM certificates: " + e, e);
    }
}
