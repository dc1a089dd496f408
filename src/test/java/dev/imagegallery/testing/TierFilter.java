package dev.imagegallery.testing;

import io.quarkus.test.junit.QuarkusTest;
import java.util.Arrays;
import java.util.Optional;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.PostDiscoveryFilter;

/**
 * Puts each integration test class in its tier (system property {@code igo.test.tier}, set per
 * Failsafe execution in pom.xml): {@code application} runs the @QuarkusTest classes, whose JVM runs
 * the application's operator from the first such test to the last; {@code controllers} runs every
 * other class, which starts its own operator ({@link TestOperator}) or none. Each tier has its own
 * JVM and control plane, so no two operators ever reconcile the same objects. Without the property
 * (an IDE, Surefire) every test is kept. Registered through the JUnit Platform's ServiceLoader.
 */
public class TierFilter implements PostDiscoveryFilter {
  static final String TIER_PROPERTY = "igo.test.tier";

  @Override
  public FilterResult apply(TestDescriptor descriptor) {
    String tier = System.getProperty(TIER_PROPERTY);
    Optional<Class<?>> testClass = testClass(descriptor);
    if (tier == null || testClass.isEmpty() || !(tier.equals("application") || tier.equals("controllers"))) {
      return FilterResult.included("not tiered here");
    }
    boolean quarkus = isQuarkusTest(testClass.get());
    return FilterResult.includedIf(quarkus == tier.equals("application"), () -> "in tier " + tier,
        () -> (quarkus ? "a @QuarkusTest, tier application" : "not a @QuarkusTest, tier controllers") + ", not " + tier);
  }

  /** By name: Quarkus loads @QuarkusTest classes, and so their annotations, in a class loader of its own. */
  private static boolean isQuarkusTest(Class<?> testClass) {
    for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
      if (Arrays.stream(c.getAnnotations()).anyMatch(a -> a.annotationType().getName().equals(QuarkusTest.class.getName()))) {
        return true;
      }
    }
    return false;
  }

  private static Optional<Class<?>> testClass(TestDescriptor descriptor) {
    return descriptor.getSource().flatMap(source -> source instanceof ClassSource c ? Optional.of(c.getJavaClass())
        : source instanceof MethodSource m ? Optional.of(m.getJavaClass()) : Optional.empty());
  }
}
