package dev.imagegallery.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The upload of {@link WebDavObjectStore} against a server that misbehaves in ways nginx does not. */
class WebDavObjectStoreTest {
    private static final ReplicaKey KEY =
            new ReplicaKey(new VersionKey("team-a", "main", "ubuntu", "1.2.0"), "westeurope", 0);

    // Far more than the socket buffers of both ends hold, so that the upload blocks in a write.
    private static final int SIZE = 64 << 20;

    private StalledServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = new StalledServer();
    }

    @AfterEach
    void stopServer() throws IOException {
        server.close();
    }

    @Test
    void anInterruptStopsAnUploadBlockedOnAServerThatStoppedReadingAndRemovesTheStagedCopy() throws Exception {
        ObjectStore store = AnonymousStores.at("http://127.0.0.1:" + server.port() + "/store");
        ByteArrayInputStream content = new ByteArrayInputStream(new byte[SIZE]);
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread upload = new Thread(() -> {
            try {
                store.stage(KEY, new Attempt("0".repeat(64), WriteFence.open("test"), 1), content, SIZE)
                        .close();
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        upload.start();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> server.requests().contains("PUT /store/" + KEY.objectPath() + ".test-1.partial HTTP/1.1"));
        // Blocked in a write once the socket buffers are full, which no interrupt alone would end.
        await().atMost(Duration.ofSeconds(10)).until(() -> blockedInSocketWrite("put-" + upload.getName()));

        upload.interrupt();

        assertThat(outcome.get(10, TimeUnit.SECONDS))
                .isInstanceOf(InterruptedIOException.class)
                .hasMessage("PUT http://127.0.0.1:" + server.port() + "/store/" + KEY.objectPath()
                        + ".test-1.partial cancelled");
        assertThat(content.available()).isPositive();
        assertThat(server.uploadClosedByClient())
                .as("the upload's connection is closed")
                .isTrue();
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        server.requests().contains("DELETE /store/" + KEY.objectPath() + ".test-1.partial HTTP/1.1"));
    }

    /**
     * Whether the thread StreamingPut sends with is in a socket write that does not return: in the
     * native write (or parked, with a timeout set) once the socket buffers are full, since the server
     * reads nothing.
     */
    private static boolean blockedInSocketWrite(String sender) {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(thread -> thread.getKey().getName().equals(sender))
                .map(thread -> thread.getValue())
                .anyMatch(stack -> stack.length > 0
                        && (stack[0].getMethodName().equals("write0")
                                || stack[0].getMethodName().equals("park")
                                        && Arrays.stream(stack)
                                                .anyMatch(f -> f.getMethodName().equals("implWrite"))));
    }

    /**
     * Accepts a PUT and never reads its body; answers every other request 204. Stands for a server
     * that hangs mid-upload, whose connection only closing it can free.
     */
    private static final class StalledServer implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<String> requests = new CopyOnWriteArrayList<>();
        private final List<Socket> held = new CopyOnWriteArrayList<>();
        private volatile Socket upload;

        StalledServer() throws IOException {
            Thread acceptor = new Thread(this::serve, "stalled-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        /** Request lines received so far. */
        List<String> requests() {
            return requests;
        }

        /** Reads what the client sent of the upload until the client closes it; false when it stays open for 10 s. */
        boolean uploadClosedByClient() throws IOException {
            upload.setSoTimeout(10_000);
            try {
                upload.getInputStream().transferTo(OutputStream.nullOutputStream());
            } catch (SocketTimeoutException stillOpen) {
                return false;
            } catch (SocketException reset) {
                // Closed as well, only less politely.
            }
            return true;
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket connection : held) {
                connection.close();
            }
        }

        private void serve() {
            try {
                while (true) {
                    Socket connection = socket.accept();
                    held.add(connection);
                    answer(connection);
                }
            } catch (IOException closed) {
                // The test is over.
            }
        }

        private void answer(Socket connection) throws IOException {
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.US_ASCII));
            String requestLine = in.readLine();
            while (!in.readLine().isEmpty()) {
                // Headers: not needed.
            }
            requests.add(requestLine);
            if (requestLine.startsWith("PUT ")) {
                upload = connection;
            } else {
                OutputStream out = connection.getOutputStream();
                out.write("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                connection.close();
            }
        }
    }
}
