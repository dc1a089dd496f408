package dev.imagegallery.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/** Random values for property tests ({@link Property}), leaning towards the ends of their ranges. */
public final class Draw {
    private Draw() {}

    /**
     * A number from {@code min} to {@code max}, both included. Each end comes one time in eight, as
     * mistakes live at the edges (an empty zone list, a full store) and a uniform draw over a wide range
     * would seldom reach them.
     */
    public static int between(Random random, int min, int max) {
        return switch (random.nextInt(8)) {
            case 0 -> min;
            case 1 -> max;
            default -> min + random.nextInt(max - min + 1);
        };
    }

    /** A list of {@code minSize} to {@code maxSize} elements (sizes as {@link #between}), each drawn by {@code element}. */
    public static <T> List<T> list(Random random, int minSize, int maxSize, Function<Random, T> element) {
        int size = between(random, minSize, maxSize);
        List<T> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(element.apply(random));
        }
        return list;
    }

    public static <T> T oneOf(Random random, List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }
}
