package dev.imagegallery.testing;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Skips the integration tests (*IT), saying why, when they were asked to run on k3s
 * (-Dit.cluster=k3s) and no Docker engine is reachable; they never fail and never pass then.
 * Registered for every test class through JUnit's extension auto-detection.
 */
public class ClusterAvailableCondition implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        boolean integrationTest = context.getTestClass()
                .map(c -> c.getSimpleName().endsWith("IT"))
                .orElse(false);
        if (integrationTest
                && "k3s".equals(System.getProperty("it.cluster"))
                && !DockerClientFactory.instance().isDockerAvailable()) {
            return ConditionEvaluationResult.disabled(
                    "it.cluster=k3s was asked for, but no Docker engine is reachable: skipped, not passed");
        }
        return ConditionEvaluationResult.enabled("a cluster is available");
    }
}
