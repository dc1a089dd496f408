package dev.imagegallery.placement;

/**
 * Stable 64-bit hashes that order otherwise equal stores differently for different versions, so
 * that versions spread over stores; the same across JVMs and runs, unlike identity hashes.
 */
final class TieBreak {
    private static final long FNV_OFFSET_BASIS = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private TieBreak() {}

    static long seed(String versionKey) {
        return mix(fnv1a(versionKey));
    }

    static long of(long seed, String storeName) {
        return mix(seed ^ fnv1a(storeName));
    }

    private static long fnv1a(String text) {
        long hash = FNV_OFFSET_BASIS;
        for (int i = 0; i < text.length(); i++) {
            hash = (hash ^ text.charAt(i)) * FNV_PRIME;
        }
        return hash;
    }

    // SplitMix64's finaliser: FNV alone leaves similar keys ("ns/v1", "ns/v2") close together.
    private static long mix(long value) {
        long z = value;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
