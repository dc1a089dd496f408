package dev.imagegallery.placement;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The words of each region failure: they end up in the version's status, so they name region, type and numbers. */
final class FailureReasons {
    private static final String[] BINARY_UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private FailureReasons() {}

    static String unknownRegion(RegionRequest request) {
        return String.format(
                Locale.ROOT,
                "region '%s' is not in the catalogue, so its %s cannot be placed: create a Region named '%s' or remove it from the target regions",
                request.region(),
                asked(request),
                request.region());
    }

    static String zoneRedundancyWithoutZones(RegionRequest request) {
        return String.format(
                Locale.ROOT,
                "region '%s' has no zones, so it cannot hold %s: ask for %s or %s there, or target a region with zones",
                request.region(),
                asked(request),
                StorageType.Standard_LRS,
                StorageType.Premium_LRS);
    }

    static String noStoreOffersType(RegionRequest request, CatalogueRegion region) {
        String offered = region.stores().stream()
                .flatMap(store -> store.storageTypes().stream())
                .distinct()
                .sorted()
                .map(StorageType::name)
                .collect(Collectors.joining(", "));
        return String.format(
                Locale.ROOT,
                "none of the %d stores of region '%s' offers %s, so its %s cannot be placed; they offer %s",
                region.stores().size(),
                request.region(),
                request.storageType(),
                asked(request),
                offered.isEmpty() ? "nothing" : offered);
    }

    /** @param fitting how many replicas fit, with the stores' state after placing them */
    static String notEnoughCapacity(RegionRequest request, long sizeBytes, int fitting, List<StoreSlot> slots) {
        long totalFree = 0;
        long largestFree = 0;
        for (StoreSlot slot : slots) {
            long free = Math.max(0, slot.freeBytes());
            totalFree += free;
            largestFree = Math.max(largestFree, free);
        }
        long fullForVersion = slots.stream().filter(StoreSlot::fullForVersion).count();
        String registries = fullForVersion == 0
                ? ""
                : String.format(
                        Locale.ROOT,
                        "; %d of those stores already hold the one replica of this version a registry store can hold",
                        fullForVersion);
        return String.format(
                Locale.ROOT,
                "region '%s' has room for only %d of the %d %s replicas asked for, %s each: after those %d, its %d %s stores have %s left, at most %s on any one%s",
                request.region(),
                fitting,
                request.replicas(),
                request.storageType(),
                bytes(sizeBytes),
                fitting,
                slots.size(),
                request.storageType(),
                bytes(totalFree),
                bytes(largestFree),
                registries);
    }

    private static String asked(RegionRequest request) {
        return request.replicas() + " " + request.storageType() + (request.replicas() == 1 ? " replica" : " replicas");
    }

    private static String bytes(long count) {
        if (count < 1024) {
            return count + " bytes";
        }
        double value = count;
        int unit = -1;
        while (value >= 1024 && unit < BINARY_UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s (%d bytes)", value, BINARY_UNITS[unit], count);
    }
}
