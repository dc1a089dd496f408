package dev.imagegallery.replication;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything needed to reach one store: its endpoint as the Region writes it, the S3 service for an
 * {@code s3://} endpoint, the credentials and the CA bundle its Secrets held when it was opened.
 * Equal connections can share a client; a rotated Secret makes a different connection.
 *
 * @param caPem PEM certificates to trust instead of the JVM's default ones, for {@code https} endpoints
 */
public record StoreConnection(
        URI endpoint, Optional<S3Service> s3, StoreCredentials credentials, Optional<String> caPem) {
    public StoreConnection {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(s3, "s3");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(caPem, "caPem");
    }

    /** A store reached without credentials and with the JVM's trusted certificates. */
    public static StoreConnection anonymous(String endpoint) {
        return new StoreConnection(URI.create(endpoint), Optional.empty(), StoreCredentials.NONE, Optional.empty());
    }

    /**
     * The S3 service an {@code s3://bucket/prefix} endpoint lives on.
     *
     * @param url the service, such as {@code https://s3.eu-west-1.amazonaws.com} or {@code http://127.0.0.1:8333}
     * @param region the signing region
     * @param pathStyle whether buckets are addressed as {@code url/bucket} instead of {@code bucket.host}
     */
    public record S3Service(URI url, String region, boolean pathStyle) {
        public S3Service {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(region, "region");
        }
    }
}
