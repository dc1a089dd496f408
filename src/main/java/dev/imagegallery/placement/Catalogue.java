package dev.imagegallery.placement;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The regions replicas may be placed in, by name. */
public record Catalogue(Map<String, CatalogueRegion> regionsByName) {
    public Catalogue {
        regionsByName = Map.copyOf(regionsByName);
    }

    /** A catalogue of the given regions; their names must be unique. */
    public static Catalogue of(Collection<CatalogueRegion> regions) {
        Map<String, CatalogueRegion> byName = new LinkedHashMap<>();
        for (CatalogueRegion region : regions) {
            if (byName.put(region.name(), region) != null) {
                throw new IllegalArgumentException("region " + region.name() + " is in the catalogue twice");
            }
        }
        return new Catalogue(byName);
    }

    /** The region of that name, if the catalogue has one. */
    public Optional<CatalogueRegion> region(String name) {
        return Optional.ofNullable(regionsByName.get(name));
    }
}
