package dev.imagegallery.testing;

import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.PostDiscoveryFilter;

/**
 * Keeps each integration test class in its tier (system property {@code igo.test.tier}, set per
 * Failsafe execution in pom.xml): {@code application} runs the @QuarkusTest classes, whose JVM runs
 * the application's operator from the first such test to the last; {@code controllers} runs every
 * other class, which starts its own operator ({@link TestOperator}) or none. Each tier has its own
 * JVM and control plane, so no two operators ever reconcile the same objects.
 *
 * <p>The executions select classes by name from application-tier.txt; this filter matters when
 * {@code -Dit.test} overrides that, and it fails the controllers tier on a @QuarkusTest class the
 * list lacks, which would otherwise run nowhere. Without the property (an IDE, Surefire) every test
 * is kept. Registered through the JUnit Platform's ServiceLoader.
 */
public class TierFilter implements PostDiscoveryFilter {
    static final String TIER_PROPERTY = "igo.test.tier";
    private static final String LIST = "application-tier.txt";

    @Override
    public FilterResult apply(TestDescriptor descriptor) {
        String tier = System.getProperty(TIER_PROPERTY);
        Optional<Class<?>> testClass = testClass(descriptor);
        if (tier == null || testClass.isEmpty() || !(tier.equals("application") || tier.equals("controllers"))) {
            return FilterResult.included("not tiered here");
        }
        boolean quarkus = isQuarkusTest(testClass.get());
        if (quarkus && tier.equals("controllers") && !listed(testClass.get())) {
            throw new IllegalStateException(
                    testClass.get().getName() + " is a @QuarkusTest: add it to src/test/resources/" + LIST
                            + ", so that it runs in the application tier");
        }
        return FilterResult.includedIf(
                quarkus == tier.equals("application"),
                () -> "in tier " + tier,
                () -> (quarkus ? "a @QuarkusTest, tier application" : "not a @QuarkusTest, tier controllers") + ", not "
                        + tier);
    }

    private static boolean listed(Class<?> testClass) {
        try (InputStream list = TierFilter.class.getClassLoader().getResourceAsStream(LIST)) {
            List<String> lines = new String(list.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .map(String::strip)
                    .toList();
            return lines.contains("**/" + testClass.getSimpleName() + ".java");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** By name: Quarkus loads @QuarkusTest classes, and so their annotations, in a class loader of its own. */
    private static boolean isQuarkusTest(Class<?> testClass) {
        for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
            if (Arrays.stream(c.getAnnotations())
                    .anyMatch(a -> a.annotationType().getName().equals(QuarkusTest.class.getName()))) {
                return true;
            }
        }
        return false;
    }

    private static Optional<Class<?>> testClass(TestDescriptor descriptor) {
        return descriptor
                .getSource()
                .flatMap(source -> source instanceof ClassSource c
                        ? Optional.of(c.getJavaClass())
                        : source instanceof MethodSource m ? Optional.of(m.getJavaClass()) : Optional.empty());
    }
}
