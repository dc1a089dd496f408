package dev.imagegallery.replication;

import dev.imagegallery.replication.SourcePolicy.Allowed;
import dev.imagegallery.replication.SourcePolicy.Refused;
import dev.imagegallery.replication.SourcePolicy.Verdict;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.Timeout;

/**
 * The operator's only way to read image sources: every read is checked against the admin's
 * {@link SourcePolicy} when it starts, and every connection when it is made (the HTTP client resolves
 * host names through the policy, so a name that changes its address after the check is refused
 * too). Redirects are followed by {@link HttpImageSource} only to URLs the policy allows.
 */
public final class SourceAccess implements AutoCloseable {
    private final SourcePolicy policy;
    private final SourceTimeouts timeouts;
    private final StoreImageSource.Resolver storeSources;
    private final CloseableHttpClient http;

    /**
     * @param timeouts connect: to open a connection; request: for the answer to a request (HEAD, or
     *     GET up to its headers); read: for the next bytes of a body; minBytesPerSecond: the slowest a
     *     copy may read its source, measured over read-long windows
     */
    public record SourceTimeouts(Duration connect, Duration request, Duration read, long minBytesPerSecond) {}

    /** @param storeSources opens s3:// and oci:// sources in the catalogue store that covers them */
    public SourceAccess(SourcePolicy policy, SourceTimeouts timeouts, StoreImageSource.Resolver storeSources) {
        this.policy = policy;
        this.timeouts = timeouts;
        this.storeSources = storeSources;
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(new CheckedDnsResolver(policy))
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(timeouts.connect()))
                                .setSocketTimeout(Timeout.of(timeouts.read()))
                                .build())
                        .setMaxConnTotal(200)
                        .setMaxConnPerRoute(50)
                        .build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .setUserAgent("image-gallery-operator")
                .build();
    }

    /** The source at {@code url}; whether it may be read is decided at each probe and open. */
    public ImageSource source(String url) {
        String scheme = url.substring(0, Math.max(0, url.indexOf(':'))).toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case "file" -> new FileImageSource(this, url);
            case "s3", "oci" -> new StoreImageSource(this, url);
            default -> new HttpImageSource(this, url);
        };
    }

    /** What the policy says of {@code url} now, as an allowed URL or the exception to report. */
    Allowed allowed(String url) throws SourceNotAllowedException, SourceUnreachableException {
        Verdict verdict = policy.check(url);
        if (verdict instanceof Allowed allowed) {
            return allowed;
        }
        if (verdict instanceof Refused refused) {
            throw new SourceNotAllowedException(refused.message());
        }
        throw new SourceUnreachableException(((SourcePolicy.Unresolvable) verdict).message());
    }

    CloseableHttpClient http() {
        return http;
    }

    SourceTimeouts timeouts() {
        return timeouts;
    }

    StoreImageSource.Resolver storeSources() {
        return storeSources;
    }

    /** The refusal for a connection the resolver stopped, in the policy's words. */
    static SourceNotAllowedException refusedConnection() {
        return new SourceNotAllowedException(SourcePolicy.refused().message());
    }

    @Override
    public void close() throws IOException {
        http.close();
    }

    /** Resolves as the system does, then refuses addresses the policy does not allow for the host. */
    private static final class CheckedDnsResolver extends SystemDefaultDnsResolver {
        private final SourcePolicy policy;

        CheckedDnsResolver(SourcePolicy policy) {
            this.policy = policy;
        }

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            InetAddress[] addresses = super.resolve(host);
            if (!policy.mayConnect(host, addresses)) {
                throw new AddressNotAllowedException(host);
            }
            return addresses;
        }
    }

    /** A connection the policy refused; the HTTP source turns it into {@link SourceNotAllowedException}. */
    static final class AddressNotAllowedException extends UnknownHostException {
        AddressNotAllowedException(String host) {
            super("the addresses of " + host + " are not allowed");
        }
    }
}
