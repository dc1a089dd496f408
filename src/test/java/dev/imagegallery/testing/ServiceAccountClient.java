package dev.imagegallery.testing;

import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A client that acts as a ServiceAccount (the chart's, installed by helm) with a token from a TokenRequest, as its pod would. */
public final class ServiceAccountClient {
    private ServiceAccountClient() {}

    /** A token for the ServiceAccount, valid for an hour, asked for with the admin client. */
    public static String token(KubernetesClient admin, String namespace, String serviceAccount) {
        return admin.serviceAccounts()
                .inNamespace(namespace)
                .withName(serviceAccount)
                .tokenRequest(new TokenRequestBuilder()
                        .withNewSpec()
                        .withExpirationSeconds(3600L)
                        .endSpec()
                        .build())
                .getStatus()
                .getToken();
    }

    /** A client authenticated by the token alone; every request the API server refuses with 403 is added to {@code forbidden}. */
    public static KubernetesClient withToken(String token, List<String> forbidden) {
        Config adminConfig = Config.fromKubeconfig(TestCluster.kubeconfigYaml());
        // From empty: the default builder would also pick up the admin kubeconfig's client certificate.
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl(adminConfig.getMasterUrl())
                .withCaCertData(adminConfig.getCaCertData())
                .withCaCertFile(adminConfig.getCaCertFile())
                .withOauthToken(token)
                .build();
        return new KubernetesClientBuilder()
                .withConfig(config)
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("count-403", new Interceptor() {
                    @Override
                    public void after(
                            HttpRequest request,
                            HttpResponse<?> response,
                            AsyncBody.Consumer<List<ByteBuffer>> consumer) {
                        record(response);
                    }

                    @Override
                    public CompletableFuture<Boolean> afterFailure(
                            BasicBuilder builder, HttpResponse<?> response, Interceptor.RequestTags tags) {
                        record(response);
                        return CompletableFuture.completedFuture(false);
                    }

                    private void record(HttpResponse<?> response) {
                        if (response.code() == 403) {
                            forbidden.add(response.request().method() + " "
                                    + response.request().uri());
                        }
                    }
                }))
                .build();
    }
}
