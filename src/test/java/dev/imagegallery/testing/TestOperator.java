package dev.imagegallery.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The operator's controllers for one test class of the controllers tier: a {@link StandaloneOperator}
 * with the settings the class needs, in code, where a Quarkus test profile once restarted the whole
 * application. As {@code @RegisterExtension static}, it starts before the class's first test and
 * stops after its last, once {@link ClusterCleanup} has deleted what the class made; a test may stop
 * and start it again (a restart). {@link #startOn} starts one by hand, on a client of the test's
 * choosing, for as long as the test holds it.
 *
 * <p>At most one operator runs on a control plane at a time: starting a second one (or one beside
 * the application's, or beside an {@link OperatorProcess}) fails at once, since two operators
 * reconciling the same objects would make every test's outcome a race.
 */
public final class TestOperator implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
    /** Set while the Quarkus application's operator runs in this JVM ({@link ControlPlaneTestResource}). */
    static final String APPLICATION_PROPERTY = "igo.test.application-operator";

    private static final Set<Object> RUNNING = ConcurrentHashMap.newKeySet();
    /** Packaged operators: several may run together, since they elect one leader. */
    private static final Set<Object> ELECTING = ConcurrentHashMap.newKeySet();

    private final KubernetesClient client;
    private final OperatorSettings settings;
    private Operator operator;
    private ReconcileActivity activity;

    private TestOperator(KubernetesClient client, OperatorSettings settings) {
        this.client = client;
        this.settings = settings;
    }

    /** An operator with the tests' settings ({@link OperatorSettings#forTests()}), for {@code @RegisterExtension}. */
    public static TestOperator withTestSettings() {
        return withTestSettings(Map.of());
    }

    /** An operator with the tests' settings and these image-gallery.* properties, for {@code @RegisterExtension}. */
    public static TestOperator withTestSettings(Map<String, String> overrides) {
        return new TestOperator(null, OperatorSettings.forTests(overrides));
    }

    /** An operator started now on {@code client}; closing it stops it. */
    public static TestOperator startOn(KubernetesClient client, OperatorSettings settings) {
        TestOperator operator = new TestOperator(client, settings);
        operator.start();
        return operator;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        // The class's objects go while the operator still runs, so that their finalizers are honoured.
        try {
            ClusterCleanup.restoreClass(context);
        } finally {
            stop();
        }
    }

    public synchronized void start() {
        if (operator != null) {
            throw new IllegalStateException("this operator runs already");
        }
        claim(this);
        activity = new ReconcileActivity();
        try {
            operator = StandaloneOperator.of(
                    client == null ? TestCluster.client() : client, settings, o -> o.withMetrics(activity));
            operator.start();
        } catch (RuntimeException e) {
            operator = null;
            release(this);
            throw e;
        }
    }

    public synchronized void stop() {
        if (operator != null) {
            operator.stop();
            operator = null;
            release(this);
        }
    }

    @Override
    public void close() {
        stop();
    }

    public OperatorSettings settings() {
        return settings;
    }

    /** What the operator has done since it last started. */
    public synchronized ReconcileActivity activity() {
        return activity;
    }

    /** Whether any operator reconciles on this JVM's control plane now. */
    static boolean anyRunning() {
        return !RUNNING.isEmpty() || !ELECTING.isEmpty() || System.getProperty(APPLICATION_PROPERTY) != null;
    }

    /** Records an operator about to start; fails when another one runs. */
    static synchronized void claim(Object operator) {
        if (anyRunning()) {
            throw new IllegalStateException("another operator runs on this control plane ("
                    + (RUNNING.isEmpty() ? "the application's" : RUNNING)
                    + "): stop it first, two operators would race for the same objects");
        }
        RUNNING.add(operator);
    }

    /** Records a leader-electing operator about to start; fails when one that does not elect runs. */
    static synchronized void joinElection(Object operator) {
        if (!RUNNING.isEmpty() || System.getProperty(APPLICATION_PROPERTY) != null) {
            throw new IllegalStateException(
                    "an operator that elects no leader runs on this control plane: stop it first");
        }
        ELECTING.add(operator);
    }

    static void release(Object operator) {
        RUNNING.remove(operator);
        ELECTING.remove(operator);
    }
}
