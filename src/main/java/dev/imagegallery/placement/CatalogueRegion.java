package dev.imagegallery.placement;

import java.util.List;
import java.util.Objects;

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
        UniqueNames.require(
                stores, CatalogueStore::name, store -> "region " + name + ": store name " + store + " is used twice");
        for (CatalogueStore store : stores) {
            boolean zoneFits = store.zone() == null ? zones.isEmpty() : zones.contains(store.zone());
            if (!zoneFits) {
                throw new IllegalArgumentException("region " + name + ": store " + store.name() + " names zone "
                        + store.zone() + ", which is not one of the region's zones " + zones);
            }
        }
    }
}
