package dev.imagegallery.reconciler.region;

import dev.imagegallery.api.Store;
import dev.imagegallery.replication.ObjectStore;
import dev.imagegallery.replication.StoreClients;
import dev.imagegallery.replication.StoreUnavailableException;
import dev.imagegallery.stores.StoreConnector;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Probes a store as replication will reach it: with its Secrets and its store kind's own probe
 * ({@link ObjectStore#probe}), so a new kind of store needs no code here.
 */
@ApplicationScoped
public class EndpointProbe implements StoreProbe {
    /** A Region's reconcile waits on the probe of each of its stores. */
    private final StoreClients clients = new StoreClients(Duration.ofSeconds(3));

    private final StoreConnector stores;

    public EndpointProbe(StoreConnector stores) {
        this.stores = stores;
    }

    @Override
    public Result probe(Store store) {
        try {
            stores.open(store, clients).probe();
            return Result.ok();
        } catch (StoreUnavailableException e) {
            return Result.failed(e.reason(), e.getMessage());
        }
    }
}
