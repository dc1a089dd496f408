package dev.imagegallery.replication;

import java.io.UncheckedIOException;
import java.time.Duration;

/** Stores reached without credentials and with the JVM's trusted certificates, for the replication tests. */
final class AnonymousStores {
    private static final StoreClients CLIENTS = new StoreClients(Duration.ofSeconds(5));

    private AnonymousStores() {}

    static ObjectStore at(String endpoint) {
        try {
            return ObjectStore.open(StoreConnection.anonymous(endpoint), CLIENTS);
        } catch (StoreUnavailableException e) {
            throw new UncheckedIOException(e);
        }
    }
}
