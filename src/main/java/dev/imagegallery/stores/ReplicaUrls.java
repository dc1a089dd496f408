package dev.imagegallery.stores;

import dev.imagegallery.api.Store;
import dev.imagegallery.replication.ReplicaKey;
import dev.imagegallery.replication.VersionKey;
import java.util.regex.Pattern;

/** Where consumers read a store's replicas. Pure. */
public final class ReplicaUrls {
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private ReplicaUrls() {}

    /**
     * The address of the replica at {@code location} below the store's endpoint: the store's read
     * endpoint (or its endpoint), a {@code /}, and the location.
     */
    public static String of(Store store, String location) {
        String base = store.readEndpoint != null ? store.readEndpoint : store.endpoint;
        return (base.endsWith("/") ? base : base + "/") + location;
    }

    /**
     * Whether {@code url} is the address the store gives replica {@code key}: its object path below
     * the read endpoint, or in a registry its version's image pinned by a manifest digest. An address
     * read back from a status a tenant may edit is shown only when it is.
     */
    public static boolean isAddressOf(Store store, ReplicaKey key, String url) {
        if (!store.endpoint.startsWith("oci://")) {
            return url.equals(of(store, key.objectPath()));
        }
        VersionKey version = key.version();
        String image = of(
                store,
                String.join("/", version.namespace(), version.gallery(), version.definition()) + ":" + key.imageTag()
                        + "@sha256:");
        return url.startsWith(image)
                && SHA256_HEX.matcher(url.substring(image.length())).matches();
    }
}
