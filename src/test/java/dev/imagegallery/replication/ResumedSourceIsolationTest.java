package dev.imagegallery.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.imagegallery.testing.TestSources;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A tenant's allowed source that behaves until a copy resumes, then answers the resumed request
 * ({@code Range}) with a redirect to a loopback server no tenant may reach: the operator follows
 * no redirect there, and that server sees no request. A resumed copy is held to the source policy
 * as a first one is.
 */
class ResumedSourceIsolationTest {
    private final List<String> loopbackRequests = new CopyOnWriteArrayList<>();
    private final List<Runnable> stops = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopServers() {
        stops.forEach(Runnable::run);
    }

    @Test
    void aResumedRequestRedirectedToLoopbackIsRefusedAndTheLoopbackServerSeesNothing() throws Exception {
        HttpServer loopback = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        loopback.createContext("/", exchange -> {
            loopbackRequests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        loopback.start();
        stops.add(() -> loopback.stop(0));
        int allowedPort = TestSources.take();
        HttpServer allowed = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), allowedPort), 0);
        allowed.createContext("/", exchange -> {
            boolean resumed = exchange.getRequestHeaders().containsKey("Range");
            exchange.getResponseHeaders()
                    .add("Location", "http://127.0.0.1:" + loopback.getAddress().getPort() + "/secret");
            exchange.sendResponseHeaders(resumed ? 302 : 404, -1);
            exchange.close();
        });
        allowed.start();
        stops.add(() -> {
            allowed.stop(0);
            TestSources.release(allowedPort);
        });
        ImageSource source = TestSources.access().source("http://127.0.0.1:" + allowedPort + "/image.img");

        assertThatThrownBy(() -> source.openFrom(1 << 20))
                .isInstanceOf(SourceNotAllowedException.class)
                .hasMessageNotContaining("/secret");
        assertThat(loopbackRequests).as("requests the redirect target saw").isEmpty();
    }
}
