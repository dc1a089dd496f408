package dev.imagegallery.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowingConsumer;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.handlers.ConsoleHandler;

/**
 * The lines the running operator's console handler prints, as a user reads them: each record goes
 * through that handler's own filter and formatter (the application's log configuration), and is
 * kept here as well as printed.
 */
public final class ConsoleLog implements AutoCloseable {
    private final Logger root = Logger.getLogger("");
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler capture;

    private ConsoleLog(Handler console) {
        capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (console.isLoggable(record)) {
                    lines.add(console.getFormatter().format(record));
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        root.addHandler(capture);
    }

    public static ConsoleLog capture() {
        return new ConsoleLog(consoleHandlers(Logger.getLogger("").getHandlers())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no console handler on the root logger")));
    }

    /** Waits until a line printed since the capture began meets the requirement. */
    public void awaitLine(ThrowingConsumer<String> requirement) {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(List.copyOf(lines)).anySatisfy(requirement));
    }

    @Override
    public void close() {
        root.removeHandler(capture);
    }

    /** Quarkus nests the console handler inside its own handlers. */
    private static Stream<Handler> consoleHandlers(Handler[] handlers) {
        return Stream.of(handlers)
                .flatMap(h -> h instanceof ConsoleHandler
                        ? Stream.of(h)
                        : h instanceof ExtHandler ext ? consoleHandlers(ext.getHandlers()) : Stream.empty());
    }
}
