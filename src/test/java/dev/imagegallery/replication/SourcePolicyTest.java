package dev.imagegallery.replication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegallery.replication.SourcePolicy.Allowed;
import dev.imagegallery.replication.SourcePolicy.Refused;
import dev.imagegallery.replication.SourcePolicy.Unresolvable;
import dev.imagegallery.replication.SourcePolicy.Verdict;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourcePolicyTest {
    private static final Map<String, String> DNS = Map.of(
            "images.example.com",
            "93.184.216.34",
            "localhost",
            "127.0.0.1",
            "metadata.internal",
            "169.254.169.254",
            "mixed.example.com",
            "93.184.216.34,10.1.2.3",
            "mapped.example.com",
            "::ffff:127.0.0.1",
            "ula.example.com",
            "fd00::1",
            "builds.internal",
            "10.0.0.5",
            "service.example.com",
            "203.0.113.7");

    @TempDir
    Path dir;

    private static SourcePolicy policy(String... prefixes) {
        return new SourcePolicy(List.of(prefixes), new AddressRules(List.of("203.0.113.0/24")), host -> {
            String addresses = DNS.get(host);
            if (addresses == null && host.matches("[\\[\\]0-9a-f.:]+")) {
                return InetAddress.getAllByName(host);
            }
            if (addresses == null) {
                throw new UnknownHostException(host);
            }
            InetAddress[] resolved = new InetAddress[addresses.split(",").length];
            for (int i = 0; i < resolved.length; i++) {
                resolved[i] = InetAddress.getByName(addresses.split(",")[i]);
            }
            return resolved;
        });
    }

    @Test
    void withoutPrefixesNoFileSourceAndHttpOnlyToPublicAddresses() {
        SourcePolicy policy = policy();
        assertThat(policy.check("file:///var/run/secrets/kubernetes.io/serviceaccount/token"))
                .isInstanceOf(Refused.class);
        assertThat(policy.check("https://images.example.com/ubuntu.img")).isInstanceOf(Allowed.class);
        for (String url : List.of(
                "http://localhost/x",
                "http://127.0.0.1:8080/x",
                "http://169.254.169.254/latest/meta-data/",
                "http://metadata.internal/x",
                "http://mixed.example.com/x",
                "http://mapped.example.com/x",
                "http://ula.example.com/x",
                "http://[::1]/x",
                "http://10.1.2.3/x",
                "http://192.168.1.1/x",
                "http://172.16.0.1/x",
                "http://100.64.0.1/x",
                "http://0.0.0.0/x",
                "http://builds.internal/x",
                "http://service.example.com/x")) {
            assertThat(policy.check(url)).as(url).isInstanceOf(Refused.class);
        }
        assertThat(policy.check("http://unknown.example.com/x")).isInstanceOf(Unresolvable.class);
    }

    @Test
    void aPrefixAllowsExactlyWhatStartsWithItAfterNormalisation() {
        SourcePolicy policy = policy("HTTP://Builds.Internal:8080/builds/");
        assertThat(policy.check("http://builds.internal:8080/builds/ubuntu.img"))
                .isInstanceOf(Allowed.class);
        assertThat(policy.check("http://builds.internal:8080/builds/./a/../ubuntu.img"))
                .isInstanceOf(Allowed.class);
        assertThat(policy.check("http://builds.internal:8080/builds/../secrets"))
                .isInstanceOf(Refused.class);
        assertThat(policy.check("http://builds.internal:8080/builds/%2e%2e/secrets"))
                .isInstanceOf(Refused.class);
        assertThat(policy.check("http://builds.internal:8080/builds%2fsecrets")).isInstanceOf(Refused.class);
        assertThat(policy.check("http://builds.internal:8081/builds/ubuntu.img"))
                .isInstanceOf(Refused.class);
        assertThat(policy.check("http://user:pw@builds.internal:8080/builds/ubuntu.img"))
                .isInstanceOf(Refused.class);
        assertThat(policy("http://images.example.com/").check("http://images.example.com:80/a"))
                .isInstanceOf(Allowed.class);
    }

    @Test
    void storeSourcesAreReadOnlyBelowAPrefixTheAdminListed() {
        SourcePolicy none = policy();
        assertThat(none.check("s3://shared-bucket/team-a/ubuntu.img")).isInstanceOf(Refused.class);
        assertThat(none.check("oci://registry.example.com/golden/ubuntu@sha256:" + "a".repeat(64)))
                .isInstanceOf(Refused.class);

        SourcePolicy policy = policy("s3://shared-bucket/builds/", "oci://Registry.Example.com:5000/golden/");
        assertThat(policy.check("s3://shared-bucket/builds/ubuntu.img")).isInstanceOf(Allowed.class);
        assertThat(policy.check("oci://registry.example.com:5000/golden/ubuntu@sha256:" + "a".repeat(64)))
                .isInstanceOf(Allowed.class);
        // Another tenant's replicas in the same bucket or registry stay out of reach.
        for (String url : List.of(
                "s3://shared-bucket/team-b/main/ubuntu/1.0.0/0",
                "s3://shared-bucket/builds/../team-b/main/ubuntu/1.0.0/0",
                "s3://shared-bucket/builds/%2e%2e/team-b/x",
                "s3://other-bucket/builds/ubuntu.img",
                "s3://user@shared-bucket/builds/ubuntu.img",
                "s3://shared-bucket/builds/ubuntu.img?versionId=1",
                "oci://registry.example.com:5000/team-b/ubuntu@sha256:" + "a".repeat(64),
                "oci://registry.example.com/golden/ubuntu@sha256:" + "a".repeat(64))) {
            assertThat(policy.check(url)).as(url).isInstanceOf(Refused.class);
        }
    }

    @Test
    void aHostAPrefixNamesMayResolveAnywhereOthersOnlyToPublicAddresses() throws Exception {
        SourcePolicy policy = policy("http://builds.internal:8080/builds/");
        assertThat(policy.mayConnect("builds.internal", new InetAddress[] {InetAddress.getByName("10.0.0.5")}))
                .isTrue();
        assertThat(policy.mayConnect("images.example.com", new InetAddress[] {InetAddress.getByName("127.0.0.1")}))
                .isFalse();
        assertThat(policy.mayConnect("images.example.com", new InetAddress[] {InetAddress.getByName("93.184.216.34")}))
                .isTrue();
    }

    @Test
    void aFileSourceMustStayInsideItsPrefixOnceLinksAreFollowed() throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        Path outside = Files.writeString(dir.resolve("secret"), "token");
        Files.writeString(images.resolve("ubuntu.img"), "bytes");
        Files.createSymbolicLink(images.resolve("link.img"), outside);
        Files.createSymbolicLink(images.resolve("escape"), dir);
        SourcePolicy policy = policy(images.toUri().toString());

        Verdict inside = policy.check(images.resolve("ubuntu.img").toUri().toString());
        assertThat(inside).isInstanceOf(Allowed.class);
        assertThat(((Allowed) inside).file())
                .contains(images.resolve("ubuntu.img").toRealPath());
        assertThat(policy.check(images.resolve("not-yet.img").toUri().toString()))
                .isInstanceOf(Allowed.class);
        assertThat(policy.check(images.toUri() + "../secret")).isInstanceOf(Refused.class);
        assertThat(policy.check(images.resolve("link.img").toUri().toString())).isInstanceOf(Refused.class);
        assertThat(policy.check(
                        images.resolve("escape").resolve("secret").toUri().toString()))
                .isInstanceOf(Refused.class);
        assertThat(policy.check(
                        images.resolve("escape").resolve("missing").toUri().toString()))
                .isInstanceOf(Refused.class);
        assertThat(policy.check("file://otherhost" + images.resolve("ubuntu.img")))
                .isInstanceOf(Refused.class);
    }

    @Test
    void aRefusalNamesTheSettingAndNothingOfTheTarget() {
        Refused refused = (Refused) policy().check("file:///var/run/secrets/kubernetes.io/serviceaccount/token");
        assertThat(refused.message()).contains(SourcePolicy.SETTING).doesNotContain("token", "secrets", "exist");
        Refused loopback = (Refused) policy().check("http://localhost:6443/x");
        assertThat(loopback.message()).doesNotContain("127.0.0.1", "localhost", "6443");
    }

    @Test
    void aMisspelledPrefixStopsTheOperatorAtStart() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> policy("ftp://images/"))
                .hasMessageContaining(SourcePolicy.SETTING);
    }
}
