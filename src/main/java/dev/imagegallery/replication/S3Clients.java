package dev.imagegallery.replication;

import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.TrustManager;
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

/** The AWS SDK clients of S3 stores, one per {@link StoreConnection}, lent out ({@link StoreClients#s3}). */
final class S3Clients {
    /**
     * How long an S3 client waits for the next byte of an answer. After the last part, a server may
     * assemble the whole object before it answers CompleteMultipartUpload (versitygw copies the parts
     * into one file); a broken connection fails at once regardless.
     */
    private static final Duration S3_SOCKET_TIMEOUT = Duration.ofMinutes(5);
    /** No ~/.aws/config or credentials file of the operator's host may change how a store is reached. */
    private static final ProfileFile NO_PROFILES = ProfileFile.aggregator().build();

    private final Duration connectTimeout;
    // Guarded by this.
    private final Map<StoreConnection, SharedS3Client> clients = new HashMap<>();

    S3Clients(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    Lease lend(StoreConnection connection) throws StoreUnavailableException {
        synchronized (this) {
            SharedS3Client shared = clients.get(connection);
            if (shared == null) {
                shared = new SharedS3Client(buildS3(connection));
                for (Iterator<Map.Entry<StoreConnection, SharedS3Client>> it =
                                clients.entrySet().iterator();
                        it.hasNext(); ) {
                    Map.Entry<StoreConnection, SharedS3Client> cached = it.next();
                    if (cached.getKey().endpoint().equals(connection.endpoint())
                            && cached.getKey().s3().equals(connection.s3())) {
                        it.remove();
                        cached.getValue().evict();
                    }
                }
                clients.put(connection, shared);
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
            TrustManager[] trusted =
                    TrustedCertificates.trustManagers(connection.caPem().get());
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
    final class Lease implements AutoCloseable {
        private final SharedS3Client shared;
        private boolean returned;

        private Lease(SharedS3Client shared) {
            this.shared = shared;
        }

        S3Client client() {
            return shared.client;
        }

        @Override
        public void close() {
            synchronized (S3Clients.this) {
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

        Lease lend() {
            leases++;
            return new Lease(this);
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
}
