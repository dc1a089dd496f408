package dev.imagegallery.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A server the tests start on loopback: registered as a static extension it runs from the class's
 * first test to its last; otherwise the test starts and closes it by hand.
 */
public interface TestServer extends BeforeAllCallback, AfterAllCallback, AutoCloseable {
    void start();

    /** Stops the server and removes what it wrote. */
    @Override
    void close();

    @Override
    default void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    default void afterAll(ExtensionContext context) {
        close();
    }
}
