package dev.imagegallery.stores;

import dev.imagegallery.api.Store;

/** Where consumers read a store's replicas. Pure. */
public final class ReplicaUrls {
    private ReplicaUrls() {}

    /**
     * The address of the replica at {@code location} below the store's endpoint: the store's read
     * endpoint (or its endpoint), a {@code /}, and the location.
     */
    public static String of(Store store, String location) {
        String base = store.readEndpoint != null ? store.readEndpoint : store.endpoint;
        return (base.endsWith("/") ? base : base + "/") + location;
    }
}
