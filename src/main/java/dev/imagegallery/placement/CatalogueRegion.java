package dev.imagegallery.placement;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One region of the catalogue: its zones (none to three) and its stores.
 *
 * @param name the region's name, as target regions spell it
 * @param zones the region's zones; empty when it has none
 * @param stores the region's stores, each in one of {@code zones} (or in none when zones is empty)
 */
public record CatalogueRegion(String name, List<String> zones, List<CatalogueStore> stores) {
    public CatalogueRegion {
        Objects.requireNonNull(name, "name");
        zones = List.copyOf(zones);
        stores = List.copyOf(stores);
        Set<String> storeNames = new HashSet<>();
        for (CatalogueStore store : stores) {
            if (!storeNames.add(store.name())) {
                throw new IllegalArgumentException(
                        "region " + name + ": store name " + store.name() + " is used twice");
            }
            boolean zoneFits = store.zone() == null ? zones.isEmpty() : zones.contains(store.zone());
            if (!zoneFits) {
                throw new IllegalArgumentException("region " + name + ": store " + store.name() + " names zone "
                        + store.zone() + ", which is not one of the region's zones " + zones);
            }
        }
    }
}
