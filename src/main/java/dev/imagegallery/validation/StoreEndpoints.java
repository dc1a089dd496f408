package dev.imagegallery.validation;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Store endpoints must be unique and not nested across all Regions: a version's replica is the
 * object {@code <namespace>/<gallery>/<definition>/<version>/<index>} below its store's endpoint, so
 * two stores at the same place (or one inside the other) would share objects, and deleting a
 * replica of one region would delete another region's. Of two overlapping stores, the one of the
 * Region created first keeps its place (then by region and store name); the other is refused. Pure.
 */
public final class StoreEndpoints {
    private StoreEndpoints() {}

    /** One store of one Region. */
    public record Claim(String region, String store, String endpoint, Instant created) {}

    /**
     * The refused stores, each with the earlier store it overlaps.
     *
     * @return refused claim to the claim it conflicts with
     */
    public static Map<Claim, Claim> conflicts(List<Claim> claims) {
        List<Claim> ordered = new ArrayList<>(claims);
        ordered.sort(Comparator.comparing(Claim::created)
                .thenComparing(Claim::region)
                .thenComparing(Claim::store));
        Map<Claim, Claim> refused = new LinkedHashMap<>();
        List<Claim> kept = new ArrayList<>();
        for (Claim claim : ordered) {
            kept.stream()
                    .filter(earlier -> overlap(earlier.endpoint(), claim.endpoint()))
                    .findFirst()
                    .ifPresentOrElse(earlier -> refused.put(claim, earlier), () -> kept.add(claim));
        }
        return refused;
    }

    /** Whether one endpoint is the other or lies below it, compared as folders (scheme and host ignoring case). */
    static boolean overlap(String a, String b) {
        String first = folder(a);
        String second = folder(b);
        return first.startsWith(second) || second.startsWith(first);
    }

    private static String folder(String endpoint) {
        URI uri = URI.create(endpoint).normalize();
        String authority =
                uri.getRawAuthority() == null ? "" : uri.getRawAuthority().toLowerCase(Locale.ROOT);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + authority + (path.endsWith("/") ? path : path + "/");
    }
}
