package dev.imagegallery.replication;

import dev.imagegallery.replication.SourceAccess.AddressNotAllowedException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpHead;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpStatus;
import org.apache.hc.core5.util.Timeout;

/**
 * An image served over HTTP(S): HEAD tells its size, GET streams it. Each request and every
 * redirect hop is checked against the source policy; requests time out, and so does a body that
 * stops flowing or flows below the floor. Failures name the URL the tenant wrote, never where a
 * redirect led.
 */
record HttpImageSource(SourceAccess access, String url) implements ImageSource {
    private static final int MAX_REDIRECTS = 5;

    @Override
    public URI uri() {
        return URI.create(url);
    }

    @Override
    public long probeSize() throws IOException {
        try (Exchange exchange = exchange("HEAD", access.timeouts().request(), 0)) {
            Header length = exchange.response().getFirstHeader("Content-Length");
            if (length == null) {
                throw new SourceUnreachableException("HEAD " + url
                        + " did not report the size (no Content-Length); declare spec.source.sizeBytes instead");
            }
            try {
                return Long.parseLong(length.getValue().strip());
            } catch (NumberFormatException e) {
                throw new SourceUnreachableException(
                        "HEAD " + url + " reported no valid size; declare spec.source.sizeBytes instead");
            }
        }
    }

    @Override
    public InputStream open() throws IOException {
        return body(exchange("GET", access.timeouts().request(), 0));
    }

    /** A GET with {@code Range: bytes=<offset>-}; empty when the server answers with the whole image instead. */
    @Override
    public Optional<InputStream> openFrom(long offset) throws IOException {
        Exchange exchange = exchange("GET", access.timeouts().request(), offset);
        Header range = exchange.response().getFirstHeader("Content-Range");
        if (exchange.response().getCode() != HttpStatus.SC_PARTIAL_CONTENT
                || range == null
                || !range.getValue().strip().startsWith("bytes " + offset + "-")) {
            exchange.close();
            return Optional.empty();
        }
        return Optional.of(body(exchange));
    }

    private InputStream body(Exchange exchange) throws IOException {
        return MinimumRateInputStream.of(
                new FilterInputStream(exchange.response().getEntity().getContent()) {
                    @Override
                    public void close() {
                        exchange.close();
                    }
                },
                access.timeouts().minBytesPerSecond(),
                access.timeouts().read());
    }

    /**
     * A successful response to {@code method}, after following allowed redirects; from byte
     * {@code offset} on when it is not 0, where the server takes ranges.
     */
    private Exchange exchange(String method, Duration timeout, long offset) throws IOException {
        URI current = access.allowed(url).uri();
        for (int hop = 0; ; hop++) {
            HttpUriRequestBase request = method.equals("HEAD") ? new HttpHead(current) : new HttpGet(current);
            request.setConfig(RequestConfig.custom()
                    .setResponseTimeout(Timeout.of(timeout))
                    .build());
            if (offset > 0) {
                request.setHeader("Range", "bytes=" + offset + "-");
            }
            Exchange exchange = new Exchange(request, send(request));
            int status = exchange.response().getCode();
            if (status == HttpStatus.SC_OK || (offset > 0 && status == HttpStatus.SC_PARTIAL_CONTENT)) {
                return exchange;
            }
            Header location = exchange.response().getFirstHeader("Location");
            exchange.close();
            if (status / 100 != 3 || location == null) {
                throw new SourceUnreachableException(method + " " + url + " answered HTTP " + status);
            }
            if (hop == MAX_REDIRECTS) {
                throw new SourceUnreachableException(
                        method + " " + url + " redirected more than " + MAX_REDIRECTS + " times");
            }
            current = access.allowed(current.resolve(location.getValue()).toString())
                    .uri();
        }
    }

    private ClassicHttpResponse send(HttpUriRequestBase request) throws IOException {
        try {
            return access.http().executeOpen(null, request, null);
        } catch (AddressNotAllowedException e) {
            throw SourceAccess.refusedConnection();
        } catch (InterruptedIOException e) {
            if (e instanceof SocketTimeoutException || e instanceof ConnectTimeoutException) {
                throw new SourceUnreachableException("cannot reach source " + url + ": timed out", e);
            }
            throw e;
        } catch (IOException e) {
            throw new SourceUnreachableException("cannot reach source " + url + ": the connection failed", e);
        }
    }

    /** One request and its response; closing it aborts the connection rather than reading what is left of a large body. */
    private record Exchange(HttpUriRequestBase request, ClassicHttpResponse response) implements AutoCloseable {
        @Override
        public void close() {
            request.cancel();
            try {
                response.close();
            } catch (IOException e) {
                // Aborted already: nothing is left to release.
            }
        }
    }
}
