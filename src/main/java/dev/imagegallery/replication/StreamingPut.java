package dev.imagegallery.replication;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import javax.net.ssl.HttpsURLConnection;

/**
 * One PUT of a body of known length, streamed by {@link HttpURLConnection} in fixed-length mode,
 * which uploads large bodies 1.5 to 1.9 times as fast as the JDK {@link HttpClient}
 * (docs/benchmarks-replication.md). It takes the connect timeout, proxy, TLS context and
 * authenticator of the store's {@code HttpClient}, so that a store is still configured in one place.
 *
 * <p>HttpURLConnection ignores interrupts, so the body is sent on a thread of its own while the
 * caller waits interruptibly; an interrupt of the caller disconnects, which fails whatever write
 * or read the sending thread is blocked in.
 */
final class StreamingPut {
    // Large enough that system calls cost nothing next to the bytes moved.
    private static final int BUFFER_SIZE = 1 << 20;
    // After the last byte, a server may copy the whole body from its temporary file before it answers.
    private static final Duration RESPONSE_TIMEOUT = Duration.ofMinutes(5);
    // How long a cancelled upload may take to notice its closed connection before the caller goes on.
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private StreamingPut() {}

    /**
     * PUTs the {@code size} bytes of {@code body} to {@code uri}, with the {@code authorization} header
     * when present, and returns the HTTP status. Cancelled by interrupting the calling thread, which
     * then gets an {@link InterruptedIOException}.
     */
    static int put(HttpClient settings, URI uri, Optional<String> authorization, InputStream body, long size)
            throws IOException {
        HttpURLConnection connection = open(settings, uri);
        connection.setRequestMethod("PUT");
        authorization.ifPresent(value -> connection.setRequestProperty("Authorization", value));
        connection.setDoOutput(true);
        connection.setFixedLengthStreamingMode(size);
        FutureTask<Integer> upload = new FutureTask<>(() -> send(connection, body));
        Thread sender = new Thread(upload, "put-" + Thread.currentThread().getName());
        sender.setDaemon(true);
        sender.start();
        try {
            return upload.get();
        } catch (InterruptedException e) {
            // Closing the connection fails a blocked write or read; the interrupt stops a wait for the body.
            connection.disconnect();
            sender.interrupt();
            awaitStop(sender);
            Thread.currentThread().interrupt();
            throw (IOException) new InterruptedIOException("PUT " + uri + " cancelled").initCause(e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof InterruptedIOException cancelled) {
                throw cancelled;
            }
            throw new IOException("PUT " + uri + " failed: " + e.getCause(), e.getCause());
        }
    }

    private static HttpURLConnection open(HttpClient settings, URI uri) throws IOException {
        Proxy proxy =
                settings.proxy().map(selector -> selector.select(uri).get(0)).orElse(Proxy.NO_PROXY);
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection(proxy);
        if (connection instanceof HttpsURLConnection https) {
            https.setSSLSocketFactory(settings.sslContext().getSocketFactory());
        }
        settings.authenticator().ifPresent(connection::setAuthenticator);
        settings.connectTimeout().ifPresent(timeout -> connection.setConnectTimeout((int) timeout.toMillis()));
        connection.setReadTimeout((int) RESPONSE_TIMEOUT.toMillis());
        // As the store's HttpClient does (StoreClients): a redirect is an answer, not a place to send the body again.
        connection.setInstanceFollowRedirects(false);
        connection.setUseCaches(false);
        return connection;
    }

    /** Runs on the sending thread: the body, then the status. One connection per upload costs nothing next to its body. */
    private static int send(HttpURLConnection connection, InputStream body) throws IOException {
        try {
            OutputStream out = connection.getOutputStream();
            writeBody(out, body);
            out.close();
            return connection.getResponseCode();
        } finally {
            // After a failed body this aborts the request: the server drops a body shorter than its length.
            connection.disconnect();
        }
    }

    /**
     * Copies the body, holding each read's last byte back until the next read, so that the body's
     * last byte goes out only once the body has ended. A body that fails at its end (a digest
     * mismatch) thus never reaches the server whole, and nothing of it is stored.
     */
    private static void writeBody(OutputStream out, InputStream body) throws IOException {
        byte[] buffer = new byte[BUFFER_SIZE];
        int held = 0;
        for (int n; (n = body.read(buffer, held, buffer.length - held)) >= 0; ) {
            int filled = held + n;
            out.write(buffer, 0, filled - 1);
            buffer[0] = buffer[filled - 1];
            held = 1;
        }
        out.write(buffer, 0, held);
    }

    private static void awaitStop(Thread sender) {
        try {
            sender.join(STOP_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            // Cancelled twice: the caller goes on, the connection is closed either way.
        }
    }
}
