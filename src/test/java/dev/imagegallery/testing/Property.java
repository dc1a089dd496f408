package dev.imagegallery.testing;

import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Checks a property over random inputs: each try draws them from its own {@link Random}, seeded from
 * the property's name and the try's number, so every run checks the same inputs and a failure names
 * the one seed that reproduces it. With {@code -Dproperty.seed=N} a property runs only the try with
 * seed N.
 */
public final class Property {
    public static final String SEED = "property.seed";

    private Property() {}

    /** Runs {@code property} {@code tries} times, or once with the seed of {@code -Dproperty.seed}; call it from the test method. */
    public static void check(int tries, Consumer<Random> property) {
        StackWalker.StackFrame test = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
                .walk(frames -> frames.skip(1).findFirst())
                .orElseThrow();
        String name = test.getDeclaringClass().getSimpleName() + "#" + test.getMethodName();
        String rerun = System.getProperty(SEED);
        if (rerun != null) {
            checkOnce(name, "its rerun", Long.parseLong(rerun), property);
            return;
        }
        // Seeds drawn from a mixing generator, not base + n: java.util.Random seeded with neighbouring
        // numbers starts with nearly the same values.
        SplittableRandom seeds = new SplittableRandom(name.hashCode());
        for (int n = 1; n <= tries; n++) {
            checkOnce(name, "try " + n + " of " + tries, seeds.nextLong(), property);
        }
    }

    private static void checkOnce(String name, String which, long seed, Consumer<Random> property) {
        try {
            property.accept(new Random(seed));
        } catch (AssertionError | RuntimeException failure) {
            throw new AssertionError(
                    String.format(
                            "property %s failed on %s, seed %d; rerun it with: mvn -B test -Dtest=%s -D%s=%d%n%s",
                            name, which, seed, name, SEED, seed, failure.getMessage()),
                    failure);
        }
    }
}
