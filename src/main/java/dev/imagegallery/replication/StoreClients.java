package dev.imagegallery.replication;

import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The HTTP clients stores are spoken to with, one per set of trusted certificates, shared by every
 * store that trusts the same ones: clients pool connections and threads, stores are made per use.
 * Registry and S3 clients hold their credentials, so they are kept per {@link StoreConnection}: a
 * rotated Secret makes a new connection, whose client replaces the old one of the same endpoint.
 * S3 clients are lent out ({@link #s3}) so that a replaced one is closed only once nothing uses it.
 */
public final class StoreClients {
    /**
     * How long an S3 client waits for the next byte of an answer. After the last part, a server may
     * assemble the whole object before it answers CompleteMultipartUpload (versitygw copies the parts
     * into one file); a broken connection fails at once regardless.
     */
    private static final Duration S3_SOCKET_TIMEOUT = Duration.ofMinutes(5);
    /** No ~/.aws/config or credentials file of the operator's host may change how a store is reached. */
    private static final ProfileFile NO_PROFILES = ProfileFile.aggregator().build();

    private final Duration connectTimeout;
    private final Map<Optional<String>, HttpClient> httpClients = new ConcurrentHashMap<>();
    private final Map<StoreConnection, RegistryClient> registryClients = new ConcurrentHashMap<>();
    // Guarded by this.
    private final Map<StoreConnection, SharedS3Client> s3Clients = new HashMap<>();

    /** @param connectTimeout how long opening a connection to a store may take */
    public StoreClients(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
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
    S3Lease s3(StoreConnection connection) throws StoreUnavailableException {
        synchronized (this) {
            SharedS3Client shared = s3Clients.get(connection);
            if (shared == null) {
                shared = new SharedS3Client(buildS3(connection));
                for (Iterator<Map.Entry<StoreConnection, SharedS3Client>> it =
                                s3Clients.entrySet().iterator();
                        it.hasNext(); ) {
                    Map.Entry<StoreConnection, SharedS3Client> cached = it.next();
                    if (cached.getKey().endpoint().equals(connection.endpoint())
                            && cached.getKey().s3().equals(connection.s3())) {
                        it.remove();
                        cached.getValue().evict();
                    }
                }
                s3Clients.put(connection, shared);
            }
            return shared.lend();
        }
    }

    private S3Client buildS3(StoreConnection connection) throws StoreUnavailableException {
        StoreConnection.S3Service service = connection
                .s3()
                .orElseThrow(() -> new StoreUnavailableException(
                        "store " + connection.endpoint() + " names no S3 service (s3.url and s3.region)"));
        ApacheHttpClient.Builder http =
                ApacheHttpClient.builder().connectionTimeout(connectTimeout).socketTimeout(S3_SOCKET_TIMEOUT);
        if (connection.caPem().isPresent()) {
            TrustManager[] trusted = trustManagers(connection.caPem().get());
            http.tlsTrustManagersProvider(() -> trusted);
        }
        return S3Client.builder()
                .endpointOverride(service.url())
                .region(Region.of(service.region()))
                .forcePathStyle(service.pathStyle())
                .credentialsProvider(credentialsProvider(connection))
                .httpClientBuilder(http)
                // Checksums only where S3ObjectStore asks for one (SHA-256 of each part and of the
                // marker) or the operation requires one: by default the SDK would add a CRC32 to
                // every upload, which S3-compatible servers without flexible checksums refuse.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                // Checks a full-object checksum where the server returns one with GetObject; composite
                // checksums of multipart objects are skipped by the SDK, the copy's own SHA-256 covers them.
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_SUPPORTED)
                .overrideConfiguration(o -> o.defaultProfileFile(NO_PROFILES))
                .build();
    }

    private static AwsCredentialsProvider credentialsProvider(StoreConnection connection)
            throws StoreUnavailableException {
        StoreCredentials credentials = connection.credentials();
        if (credentials instanceof StoreCredentials.AccessKeys keys) {
            return StaticCredentialsProvider.create(
                    keys.sessionToken() == null
                            ? AwsBasicCredentials.create(keys.accessKeyId(), keys.secretAccessKey())
                            : AwsSessionCredentials.create(
                                    keys.accessKeyId(), keys.secretAccessKey(), keys.sessionToken()));
        }
        if (credentials instanceof StoreCredentials.None) {
            return AnonymousCredentialsProvider.create();
        }
        throw new StoreUnavailableException(
                FailureReason.AuthenticationFailed,
                "store " + connection.endpoint() + " signs in with S3 access keys, not with "
                        + credentials.getClass().getSimpleName(),
                null);
    }

    /** The use of a shared S3 client; closing it gives the client back. */
    final class S3Lease implements AutoCloseable {
        private final SharedS3Client shared;
        private boolean returned;

        private S3Lease(SharedS3Client shared) {
            this.shared = shared;
        }

        S3Client client() {
            return shared.client;
        }

        @Override
        public void close() {
            synchronized (StoreClients.this) {
                if (!returned) {
                    returned = true;
                    shared.giveBack();
                }
            }
        }
    }

    /** An S3 client and how many leases of it are out; guarded by the StoreClients. */
    private final class SharedS3Client {
        private final S3Client client;
        private int leases;
        private boolean evicted;

        SharedS3Client(S3Client client) {
            this.client = Objects.requireNonNull(client);
        }

        S3Lease lend() {
            leases++;
            return new S3Lease(this);
        }

        void giveBack() {
            leases--;
            closeIfUnused();
        }

        void evict() {
            evicted = true;
            closeIfUnused();
        }

        private void closeIfUnused() {
            if (evicted && leases == 0) {
                client.close();
            }
        }
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
