package dev.imagegallery.testing;

import dev.imagegallery.replication.AddressRules;
import dev.imagegallery.replication.SourceAccess;
import dev.imagegallery.replication.SourceNotAllowedException;
import dev.imagegallery.replication.SourcePolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The sources the operator under test may read, as an admin would list them in
 * image-gallery.sources.allowed-url-prefixes: the examples' images, temporary files, and a few
 * loopback ports reserved per test JVM, on which {@link NginxServer#forSources()} servers listen.
 * Everything else is refused, as in production, so the tests also show what the policy allows.
 */
public final class TestSources {
    private static final String PORTS_PROPERTY = "igo.test.source-ports";
    private static final int PORTS = 4;
    private static final Set<Integer> TAKEN = new HashSet<>();
    private static SourceAccess access;

    private TestSources() {}

    /** The comma-separated prefixes. */
    public static String allowedUrlPrefixes() {
        List<String> prefixes = new ArrayList<>(List.of(
                "file:///var/tmp/image-gallery-operator/sources/",
                "file://" + System.getProperty("java.io.tmpdir").replaceAll("/?$", "/")));
        ports().forEach(port -> prefixes.add("http://127.0.0.1:" + port + "/"));
        return String.join(",", prefixes);
    }

    /** The prefixes as the operator's configuration. */
    public static Map<String, String> config() {
        return Map.of("image-gallery.sources.allowed-url-prefixes", allowedUrlPrefixes());
    }

    /** Source access as the operator under test has it, for tests of the replication layer alone; one per JVM, like the operator's. */
    public static synchronized SourceAccess access() {
        if (access == null) {
            SourcePolicy policy = new SourcePolicy(
                    List.of(allowedUrlPrefixes().split(",")), new AddressRules(List.of()), InetAddress::getAllByName);
            access = new SourceAccess(
                    policy,
                    new SourceAccess.SourceTimeouts(
                            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(10), 0),
                    url -> {
                        throw new SourceNotAllowedException("the replication tests read no store sources: " + url);
                    });
        }
        return access;
    }

    /** What a JVM started by this one needs to allow the same sources. */
    public static Map<String, String> jvmProperties() {
        return Map.of(PORTS_PROPERTY, ports().stream().map(String::valueOf).collect(Collectors.joining(",")));
    }

    /** A reserved source port no server of this JVM listens on now; {@link #release} it when the server stops. */
    public static synchronized int take() {
        for (int port : ports()) {
            if (TAKEN.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException(
                "all " + PORTS + " source ports of this test JVM are in use: close a source server first");
    }

    public static synchronized void release(int port) {
        TAKEN.remove(port);
    }

    // Chosen once per JVM and kept in a system property, which the Quarkus class loader's copy of this class shares.
    private static synchronized List<Integer> ports() {
        String kept = System.getProperty(PORTS_PROPERTY);
        if (kept == null) {
            Set<Integer> chosen = new HashSet<>();
            while (chosen.size() < PORTS) {
                try {
                    chosen.add(NginxServer.freePort());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            kept = chosen.stream().map(String::valueOf).collect(Collectors.joining(","));
            System.setProperty(PORTS_PROPERTY, kept);
        }
        return Arrays.stream(kept.split(",")).map(Integer::valueOf).toList();
    }
}
