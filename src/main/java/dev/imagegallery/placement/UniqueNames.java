package dev.imagegallery.placement;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** The inputs' own check that names meant to be unique (stores of a region, target regions) are. */
final class UniqueNames {
    private UniqueNames() {}

    /** Throws with {@code problem}'s words for the first name that comes twice. */
    static <T> void require(List<T> items, Function<T, String> name, Function<String, String> problem) {
        Set<String> seen = new HashSet<>();
        for (T item : items) {
            if (!seen.add(name.apply(item))) {
                throw new IllegalArgumentException(problem.apply(name.apply(item)));
            }
        }
    }
}
