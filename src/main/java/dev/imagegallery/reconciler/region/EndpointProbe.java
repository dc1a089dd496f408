package dev.imagegallery.reconciler.region;

import dev.imagegallery.replication.ObjectStore;
import dev.imagegallery.replication.StoreUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.http.HttpClient;
import java.time.Duration;

/**
 * Probes a store as replication will reach it: with its store kind's own probe
 * ({@link ObjectStore#probe}), so a new kind of store needs no code here.
 */
@ApplicationScoped
public class EndpointProbe implements StoreProbe {
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    @Override
    public Result probe(String endpoint) {
        try {
            ObjectStore.at(endpoint, http).probe();
            return Result.ok();
        } catch (StoreUnavailableException e) {
            return Result.unreachable(e.getMessage());
        }
    }
}
