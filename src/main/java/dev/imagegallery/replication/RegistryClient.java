package dev.imagegallery.replication;

import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.net.URI;
import java.time.Duration;
import land.oras.ContainerRef;
import land.oras.Registry;
import land.oras.auth.AuthProvider;
import land.oras.auth.BearerTokenProvider;
import land.oras.auth.HttpClient;
import land.oras.auth.NoAuthProvider;
import land.oras.auth.UsernamePasswordProvider;
import land.oras.exception.OrasException;

/**
 * What an {@code oci://} store speaks to its registry with, made once per {@link StoreConnection}
 * by {@link StoreClients}: the ORAS SDK's {@link Registry} (manifests, small blobs, blob reads) and
 * the ORAS {@link HttpClient} that the registry's own requests go through, for the layer upload
 * the SDK cannot do (see {@link OciObjectStore}). Both sign in with the same {@link AuthProvider}
 * (HTTP basic for a username and password, answering a registry's bearer-token challenge with them;
 * the token as is for a token) and trust the connection's CA bundle only, or the JVM's when it has
 * none. Never printed with its credentials.
 *
 * <p>The SDK is kept from the host's configuration: its registry is pinned ({@code withRegistry}),
 * so {@code registries.conf} aliases and unqualified-search registries do not apply, the Docker
 * credential store is never read (the auth provider is always given), and its metrics go to a
 * registry of their own, unexported. Two things of the SDK cannot be changed: it still reads
 * {@code registries.conf} for mirrors and blocked registries (an operator image has none), and its
 * bearer tokens are cached JVM-wide by registry and scope, not by credentials.
 *
 * @param host the registry's {@code host:port}, the port always written
 */
record RegistryClient(String host, Registry registry, HttpClient http, AuthProvider auth) {
    private static final int HTTPS = 443;

    static RegistryClient open(StoreConnection connection, Duration connectTimeout) throws StoreUnavailableException {
        URI endpoint = connection.endpoint();
        String host = hostAndPort(endpoint);
        AuthProvider auth = auth(connection);
        // Our own message for a bad bundle (ORAS would say only that it cannot configure TLS).
        if (connection.caPem().isPresent()) {
            TrustedCertificates.trustManagers(connection.caPem().get());
        }
        // ORAS's request timers would be exported, per host, beside the operator's documented metrics.
        CompositeMeterRegistry unexported = new CompositeMeterRegistry();
        Registry.Builder registry =
                Registry.builder().withRegistry(host).withAuthProvider(auth).withMeterRegistry(unexported);
        HttpClient.Builder http = HttpClient.Builder.builder()
                .withTimeout((int) Math.max(1, connectTimeout.toSeconds()))
                .withMeterRegistry(unexported);
        connection.caPem().ifPresent(pem -> {
            registry.withCaContent(pem);
            http.withCaContent(pem);
        });
        try {
            return new RegistryClient(host, registry.build(), http.build(), auth);
        } catch (OrasException e) {
            throw new StoreUnavailableException(
                    FailureReason.CertificateInvalid,
                    "cannot use the CA bundle of store " + endpoint + ": " + e.getMessage(),
                    null);
        }
    }

    /** {@code host:port} of an {@code oci://} URL, the port 443 when it names none. */
    static String hostAndPort(URI url) throws StoreUnavailableException {
        if (url.getHost() == null || url.getRawUserInfo() != null) {
            throw new StoreUnavailableException("oci:// endpoint " + url.getScheme() + "://" + url.getRawAuthority()
                    + " does not name a registry host[:port]");
        }
        return url.getHost() + ":" + (url.getPort() == -1 ? HTTPS : url.getPort());
    }

    /**
     * The reference {@code repository:tag} on this registry. The host is written with its port, so
     * that ORAS reads it as the registry even when it has no dot (a Kubernetes service name).
     */
    ContainerRef ref(String repository, String tag) {
        return ContainerRef.parse(host + "/" + repository + ":" + tag);
    }

    /** The https URL of a path such as {@code ContainerRef.getBlobsPath(registry)} gives: {@code host/v2/...}. */
    URI url(String hostAndPath) {
        return URI.create("https://" + hostAndPath);
    }

    private static AuthProvider auth(StoreConnection connection) throws StoreUnavailableException {
        StoreCredentials credentials = connection.credentials();
        if (credentials instanceof StoreCredentials.UsernamePassword basic) {
            return new UsernamePasswordProvider(basic.username(), basic.password());
        }
        if (credentials instanceof StoreCredentials.Token token) {
            return new BearerTokenProvider(token.token());
        }
        if (credentials instanceof StoreCredentials.None) {
            return new NoAuthProvider();
        }
        throw new StoreUnavailableException(
                FailureReason.AuthenticationFailed,
                "store " + connection.endpoint()
                        + " is a registry: its Secret must hold username and password, or token (not S3 access keys)",
                null);
    }

    @Override
    public String toString() {
        return "RegistryClient[" + host + "]";
    }
}
