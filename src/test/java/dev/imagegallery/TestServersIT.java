package dev.imagegallery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegallery.testing.Commands;
import dev.imagegallery.testing.OciRegistry;
import dev.imagegallery.testing.S3Cli;
import dev.imagegallery.testing.S3Server;
import dev.imagegallery.testing.Skopeo;
import dev.imagegallery.testing.TestPki;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The servers the object-store tests run against are real and behave as such: versitygw stores,
 * lists and returns objects through its S3 API and keeps them across a restart on the same port;
 * the registry demands its password and serves what skopeo pushed; both present a certificate that
 * only a client trusting the test CA accepts. Everything is read back with clients of their own
 * (aws CLI, skopeo, the JDK), none of them the operator's.
 */
class TestServersIT {
    @RegisterExtension
    @Order(1)
    static final TestPki PKI = new TestPki();

    @RegisterExtension
    @Order(2)
    static final S3Server S3 = new S3Server(PKI);

    @RegisterExtension
    @Order(3)
    static final OciRegistry REGISTRY = new OciRegistry(PKI);

    @TempDir
    Path tmp;

    @Test
    void s3ServerKeepsWhatTheAwsCliPutAcrossARestartOnTheSamePort() throws IOException {
        Path object = randomFile("object.bin", 3 << 20);
        String sha256 = S3Cli.sha256(object);
        S3.createBucket("servers-it");
        S3Cli aws = S3.cli();
        aws.putObject("servers-it", "images/a/object.bin", object, Map.of("sha256", sha256));
        aws.putObject("servers-it", "other/b.bin", object, Map.of());

        assertThat(aws.listKeys("servers-it", "images/")).containsExactly("images/a/object.bin");
        assertThat(aws.sha256("servers-it", "images/a/object.bin")).isEqualTo(sha256);
        assertThat(aws.metadata("servers-it", "images/a/object.bin")).containsEntry("sha256", sha256);
        assertThat(S3.url()).hasToString("https://127.0.0.1:" + S3.port());
        assertThat(S3.accessKeyId()).startsWith("igotest");

        URI before = S3.url();
        S3.stop();
        assertThatThrownBy(() -> new Socket("127.0.0.1", S3.port()).close())
                .as("nothing listens on the stopped server's port")
                .isInstanceOf(ConnectException.class);
        S3.start();

        assertThat(S3.url()).isEqualTo(before);
        assertThat(aws.sha256("servers-it", "images/a/object.bin")).isEqualTo(sha256);
    }

    @Test
    void s3ServerRefusesWrongKeysAndClientsThatDoNotTrustTheTestCa() {
        // The signature is checked before the bucket is looked up: no bucket needed.
        Commands.Result wrongSecret = S3.cli()
                .withKeys(S3.accessKeyId(), "igotest-not-the-secret")
                .run("s3api", "list-objects-v2", "--bucket", "servers-it-refusals");
        assertThat(wrongSecret.succeeded()).isFalse();
        assertThat(wrongSecret.stderr()).contains("SignatureDoesNotMatch");

        Commands.Result otherCa = S3.cli()
                .trusting(PKI.otherCaCertificate())
                .run("s3api", "list-objects-v2", "--bucket", "servers-it-refusals");
        assertThat(otherCa.succeeded()).isFalse();
        assertThat(otherCa.stderr()).containsIgnoringCase("certificate verify failed");
    }

    @Test
    void registryDemandsItsPasswordOverTlsFromTheTestCa() throws Exception {
        URI base = URI.create("https://" + REGISTRY.host() + "/v2/");
        HttpClient trusting =
                HttpClient.newBuilder().sslContext(PKI.sslContext()).build();

        HttpResponse<String> anonymous =
                trusting.send(HttpRequest.newBuilder(base).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(value -> assertThat(value).startsWith("Basic"));

        String basic = Base64.getEncoder()
                .encodeToString((REGISTRY.username() + ":" + REGISTRY.password()).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> authenticated = trusting.send(
                HttpRequest.newBuilder(base)
                        .header("Authorization", "Basic " + basic)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(authenticated.statusCode()).isEqualTo(200);

        HttpClient untrusting = HttpClient.newBuilder()
                .sslContext(TestPki.sslContextTrusting(PKI.otherCaCertificate()))
                .build();
        assertThatThrownBy(() ->
                        untrusting.send(HttpRequest.newBuilder(base).build(), HttpResponse.BodyHandlers.discarding()))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void skopeoReadsBackAnImagePushedToTheRegistry() throws IOException {
        Path disk = randomFile("x.img", 1 << 20);
        Skopeo.PushedImage pushed = REGISTRY.pushDiskImage("servers-it/cirros", "1.0.0", disk);
        Skopeo skopeo = REGISTRY.skopeo();

        assertThat(skopeo.digest(pushed.reference())).isEqualTo(pushed.digest());
        assertThat(skopeo.tags(REGISTRY.host() + "/servers-it/cirros")).containsExactly("1.0.0");
        assertThat(skopeo.inspectRaw(pushed.byDigest())).contains(pushed.layerDigest(), "vnd.oci.image.layer.v1.tar");
        Skopeo.LayerFile file = skopeo.fileInImage(pushed.reference(), 0, "/disk/x.img");
        assertThat(file.sha256()).isEqualTo(S3Cli.sha256(disk)).isEqualTo(pushed.diskSha256());
        assertThat(file.size()).isEqualTo(Files.size(disk));
        assertThat(file.uid()).isEqualTo(107);
        assertThat(file.gid()).isEqualTo(107);

        REGISTRY.stop();
        REGISTRY.start();
        assertThat(skopeo.digest(pushed.reference()))
                .as("the restarted registry still serves the image")
                .isEqualTo(pushed.digest());
    }

    @Test
    void skopeoFailsWithoutThePasswordOrTheTestCa() throws IOException {
        Skopeo.PushedImage pushed = REGISTRY.pushDiskImage("servers-it/refusals", "1", randomFile("r.img", 1024));

        Commands.Result wrongPassword = REGISTRY.skopeo()
                .withCredentials(REGISTRY.username(), "igotest-not-the-password")
                .tryInspectRaw(pushed.reference());
        assertThat(wrongPassword.succeeded()).isFalse();
        assertThat(wrongPassword.stderr()).contains("unauthorized");

        Commands.Result anonymous =
                REGISTRY.skopeo().withCredentials(null, null).tryInspectRaw(pushed.reference());
        assertThat(anonymous.succeeded()).isFalse();
        assertThat(anonymous.stderr()).contains("unauthorized");

        Commands.Result otherCa =
                REGISTRY.skopeo().trusting(PKI.otherCaCertificate()).tryInspectRaw(pushed.reference());
        assertThat(otherCa.succeeded()).isFalse();
        assertThat(otherCa.stderr()).contains("x509: certificate signed by unknown authority");
    }

    private Path randomFile(String name, int size) throws IOException {
        byte[] content = new byte[size];
        new Random(name.hashCode()).nextBytes(content);
        return Files.write(tmp.resolve(name), content);
    }
}
