package dev.imagegallery.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.imagegallery.api.Gallery;
import dev.imagegallery.api.ImageDefinition;
import dev.imagegallery.api.ImageVersion;
import dev.imagegallery.testing.AuditLog;
import dev.imagegallery.testing.Await;
import dev.imagegallery.testing.Cli;
import dev.imagegallery.testing.Examples;
import dev.imagegallery.testing.OperatorSettings;
import dev.imagegallery.testing.ServiceAccountClient;
import dev.imagegallery.testing.TestCluster;
import dev.imagegallery.testing.TestOperator;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The chart as users install it, with the real helm CLI, on the real control plane with real RBAC. */
class HelmChartIT {
    private static final String CHART = "deploy/helm/image-gallery-operator";
    private static final String SERVICE_ACCOUNT = "system:serviceaccount:igo-system:igo-image-gallery-operator";

    private final KubernetesClient admin = TestCluster.client();

    @Test
    void lintIsCleanAndTemplatesRenderForDefaultAndNamespacedValues() {
        assertThat(Cli.helm("lint", CHART, "--strict")).contains("0 chart(s) failed");
        String defaults = Cli.helm("template", "igo", CHART, "-n", "igo-system");
        assertThat(defaults)
                .contains("kind: ClusterRole", "kind: Deployment", "value: \"JOSDK_ALL_NAMESPACES\"")
                .doesNotContain("kind: Region");
        String namespaced =
                Cli.helm("template", "igo", CHART, "-n", "igo-system", "-f", CHART + "/ci/namespaced-values.yaml");
        assertThat(namespaced)
                .contains("namespace: team-a", "namespace: team-b", "value: \"team-a,team-b\"", "kind: Region");
    }

    @Test
    void storeSecretsAreCreatedInTheReleaseNamespaceWhereTheOperatorReadsThem() {
        String rendered = Cli.helm(
                "template",
                "igo",
                CHART,
                "-n",
                "igo-system",
                "--show-only",
                "templates/store-secrets.yaml",
                "--set",
                "storeSecrets[0].name=bucket-credentials",
                "--set",
                "storeSecrets[0].stringData.accessKeyId=AKIAEXAMPLE",
                "--set",
                "storeSecrets[0].stringData.secretAccessKey=example-secret");
        Secret secret = Serialization.unmarshal(rendered, Secret.class);
        assertThat(secret.getMetadata().getNamespace()).isEqualTo("igo-system");
        assertThat(secret.getMetadata().getName()).isEqualTo("bucket-credentials");
        assertThat(secret.getStringData())
                .containsOnly(Map.entry("accessKeyId", "AKIAEXAMPLE"), Map.entry("secretAccessKey", "example-secret"));
        String deployment =
                Cli.helm("template", "igo", CHART, "-n", "igo-system", "--show-only", "templates/deployment.yaml");
        assertThat(deployment).contains("name: IMAGE_GALLERY_NAMESPACE");
    }

    @Test
    void theSchemaRejectsAWrongValueTypeNamingTheValue() {
        Cli.Result result = Cli.run("helm", "template", "igo", CHART, "--set", "replicaCount=two");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("/replicaCount", "got string, want integer");
    }

    @Test
    void installedWithItsServiceAccountTheOperatorDrivesTheExamplesWithoutA403AndCannotDoMore() {
        Cli.helm("upgrade", "--install", "igo", CHART, "-n", "igo-system", "--create-namespace");
        assertThat(admin.apps()
                        .deployments()
                        .inNamespace("igo-system")
                        .withName("igo-image-gallery-operator")
                        .get())
                .isNotNull();
        assertThat(admin.rbac()
                        .clusterRoles()
                        .withName("igo-image-gallery-operator")
                        .get())
                .isNotNull();

        String token = ServiceAccountClient.token(admin, "igo-system", "igo-image-gallery-operator");
        List<String> forbidden = new CopyOnWriteArrayList<>();
        String ns = TestCluster.newNamespace("rbac");
        Instant created = Instant.now();
        admin.resource(Examples.get("Gallery", "contoso.images", ns)).create();
        List<String> refusedProbe = new CopyOnWriteArrayList<>();
        try (KubernetesClient probe = ServiceAccountClient.withToken(token, refusedProbe)) {
            assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(
                                    KubernetesClientException.class,
                                    () -> probe.secrets()
                                            .inNamespace("igo-system")
                                            .list())
                            .getCode())
                    .as("the token client is the ServiceAccount")
                    .isEqualTo(403);
        }
        try (KubernetesClient asServiceAccount = ServiceAccountClient.withToken(token, forbidden);
                TestOperator operator = TestOperator.startOn(
                        asServiceAccount, OperatorSettings.forTests(Map.of("image-gallery.namespace", "igo-system")))) {
            Await.condition(admin, Gallery.class, ns, "contoso.images", "Ready", "True", "Available");
            Examples.applyAll(admin, ns);
            Await.condition(admin, ImageDefinition.class, ns, "ubuntu-22.04", "Ready", "True", "Available");
            Await.condition(admin, ImageVersion.class, ns, "ubuntu-22.04-1.0.0", "Ready", "True", "Replicated");
            // A Warning Event needs events/create: the restricted region refuses this namespace.
            Await.condition(
                    admin, ImageVersion.class, ns, "windows-2022-2022.11.0", "Stalled", "True", "RegionRestricted");
            assertThat(admin.v1().events().inNamespace(ns).list().getItems())
                    .extracting(e -> e.getReason())
                    .contains("RegionRestricted");
        }
        assertThat(forbidden).as("requests the API server refused with 403").isEmpty();
        // No other operator runs beside it (TestOperator): every status there was written with the ServiceAccount's
        // token.
        assertThat(AuditLog.writesSince(created, w -> ns.equals(w.namespace()) && "status".equals(w.subresource())))
                .as("status writes in the namespace")
                .isNotEmpty()
                .allSatisfy(w -> assertThat(w.user()).isEqualTo(SERVICE_ACCOUNT));

        String sa = SERVICE_ACCOUNT;
        // Store Secrets: read one by one and watched, in the operator's namespace only.
        assertThat(allowed(sa, "get", "", "secrets", "igo-system")).isTrue();
        assertThat(allowed(sa, "watch", "", "secrets", "igo-system")).isTrue();
        assertThat(allowed(sa, "list", "", "secrets", "igo-system")).isFalse();
        assertThat(allowed(sa, "get", "", "secrets", "default")).isFalse();
        assertThat(allowed(sa, "watch", "", "secrets", null)).isFalse();
        assertThat(allowed(sa, "delete", "", "namespaces", null)).isFalse();
        assertThat(allowed(sa, "delete", "imagegallery.dev", "galleries", "default"))
                .isFalse();
        assertThat(allowed(sa, "create", "imagegallery.dev", "imageversions", "default"))
                .isFalse();
        assertThat(allowed(sa, "patch", "imagegallery.dev", "imageversions", "default"))
                .isTrue();
    }

    @Test
    void theRenderedPodPassesPodSecurityRestricted() {
        String ns = "restricted-" + Long.toHexString(System.nanoTime());
        admin.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(ns)
                        .addToLabels("pod-security.kubernetes.io/enforce", "restricted")
                        .endMetadata()
                        .build())
                .create();
        String rendered = Cli.helm("template", "igo", CHART, "-n", ns, "--show-only", "templates/deployment.yaml");
        Deployment deployment = admin.getKubernetesSerialization().unmarshal(rendered, Deployment.class);
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withName("operator")
                .withNamespace(ns)
                .endMetadata()
                .withSpec(deployment.getSpec().getTemplate().getSpec())
                .build();

        Pod accepted = admin.pods().inNamespace(ns).resource(pod).dryRun().create();
        assertThat(accepted.getMetadata().getNamespace()).isEqualTo(ns);

        // The namespace really enforces: the same pod without its security context is refused.
        pod.getSpec().setSecurityContext(null);
        pod.getSpec().getContainers().get(0).setSecurityContext(null);
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(
                                KubernetesClientException.class,
                                () -> admin.pods()
                                        .inNamespace(ns)
                                        .resource(pod)
                                        .dryRun()
                                        .create())
                        .getMessage())
                .contains("violates PodSecurity \"restricted:latest\"");
    }

    @Test
    void theMonitoringTemplatesRenderTheShippedDashboardRulesAndLogFormatOnlyWhenAskedFor() throws Exception {
        assertThat(Cli.helm("template", "igo", CHART)).doesNotContain("kind: PrometheusRule", "grafana_dashboard");
        String rendered = Cli.helm(
                "template",
                "igo",
                CHART,
                "--set",
                "metrics.prometheusRule.enabled=true",
                "--set",
                "metrics.grafanaDashboard.enabled=true",
                "--set",
                "logging.format=json");
        List<JsonNode> objects = new YAMLMapper()
                .readerFor(JsonNode.class)
                .<JsonNode>readValues(rendered)
                .readAll();

        JsonNode rule = objects.stream()
                .filter(o -> o.path("kind").asText().equals("PrometheusRule"))
                .findFirst()
                .orElseThrow();
        assertThat(rule.get("spec"))
                .isEqualTo(new YAMLMapper()
                        .readTree(Path.of("deploy/monitoring/prometheus-rule.yaml")
                                .toFile())
                        .get("spec"));
        JsonNode dashboard = objects.stream()
                .filter(o -> o.at("/metadata/labels/grafana_dashboard").asText().equals("1"))
                .findFirst()
                .orElseThrow();
        assertThat(new ObjectMapper()
                        .readTree(dashboard
                                .at("/data/image-gallery-operator.json")
                                .asText()))
                .isEqualTo(new ObjectMapper()
                        .readTree(Path.of("deploy/monitoring/grafana-dashboard.json")
                                .toFile()));
        assertThat(rendered).contains("- name: QUARKUS_LOG_CONSOLE_JSON_ENABLED\n              value: \"true\"");
    }

    private boolean allowed(String user, String verb, String group, String resource, String namespace) {
        return admin.authorization()
                .v1()
                .subjectAccessReview()
                .create(new SubjectAccessReviewBuilder()
                        .withNewSpec()
                        .withUser(user)
                        .withNewResourceAttributes()
                        .withVerb(verb)
                        .withGroup(group)
                        .withResource(resource)
                        .withNamespace(namespace)
                        .endResourceAttributes()
                        .endSpec()
                        .build())
                .getStatus()
                .getAllowed();
    }
}
