package dev.imagegallery.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A throwaway certificate authority made with the real {@code openssl} CLI in a fresh temporary
 * directory, and a server certificate it signed for {@code IP:127.0.0.1} and {@code DNS:localhost},
 * which {@link S3Server} and {@link OciRegistry} serve. Also a second, unrelated CA, for a store
 * that names the wrong CA: a client trusting only it must refuse the servers' certificate.
 *
 * <p>For a test class ({@code @RegisterExtension static}) or by hand ({@link #create()}, {@link
 * #close()}). Valid for two days; the private keys never leave the directory.
 */
public final class TestPki implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Path dir;

    /** A PKI made when its test class starts ({@code @RegisterExtension static}). */
    public TestPki() {}

    /** A PKI made now; {@link #close()} deletes it. */
    public static TestPki create() {
        TestPki pki = new TestPki();
        pki.make();
        return pki;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        make();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    private void make() {
        if (dir != null) {
            return;
        }
        Path openssl =
                Commands.find("openssl", "install it with `apt-get install -y openssl` (hack/install-deps.sh does)");
        try {
            dir = Files.createTempDirectory("test-pki-");
            makeCa(openssl, "ca", "igo-test-ca");
            makeCa(openssl, "other-ca", "igo-test-other-ca");
            Files.writeString(dir.resolve("server.ext"), """
                    basicConstraints=critical,CA:FALSE
                    keyUsage=critical,digitalSignature,keyEncipherment
                    extendedKeyUsage=serverAuth
                    subjectAltName=IP:127.0.0.1,DNS:localhost
                    """);
            openssl(
                    openssl,
                    "req",
                    "-newkey",
                    "rsa:2048",
                    "-nodes",
                    "-keyout",
                    at("server.key"),
                    "-out",
                    at("server.csr"),
                    "-subj",
                    "/CN=localhost");
            openssl(
                    openssl,
                    "x509",
                    "-req",
                    "-in",
                    at("server.csr"),
                    "-CA",
                    at("ca.crt"),
                    "-CAkey",
                    at("ca.key"),
                    "-set_serial",
                    serial(),
                    "-days",
                    "2",
                    "-sha256",
                    "-extfile",
                    at("server.ext"),
                    "-out",
                    at("server.crt"));
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    private void makeCa(Path openssl, String name, String commonName) {
        openssl(
                openssl,
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                at(name + ".key"),
                "-out",
                at(name + ".crt"),
                "-days",
                "2",
                "-sha256",
                "-set_serial",
                serial(),
                "-subj",
                "/CN=" + commonName,
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign");
    }

    private void openssl(Path openssl, String... args) {
        List<String> command = new ArrayList<>(List.of(openssl.toString()));
        command.addAll(List.of(args));
        // RANDFILE: openssl writes nothing outside the PKI's directory.
        Commands.succeed("openssl " + args[0], command, Map.of("RANDFILE", at(".rnd")), dir.resolve("log"));
    }

    /** The absolute path of file {@code name} of the PKI. */
    private String at(String name) {
        return dir.resolve(name).toString();
    }

    private static String serial() {
        return "0x" + new BigInteger(64, RANDOM).toString(16);
    }

    /** The CA's certificate (PEM file). */
    public Path caCertificate() {
        return file("ca.crt");
    }

    /** The CA's certificate as PEM text, what a store's Secret holds. */
    public String caPem() {
        return read(caCertificate());
    }

    /** The servers' certificate (PEM), signed by the CA, for IP 127.0.0.1 and DNS localhost. */
    public Path serverCertificate() {
        return file("server.crt");
    }

    /** The servers' private key (PEM, unencrypted PKCS#8). */
    public Path serverKey() {
        return file("server.key");
    }

    /** An unrelated CA's certificate (PEM file), which signed nothing the servers serve. */
    public Path otherCaCertificate() {
        return file("other-ca.crt");
    }

    /** The unrelated CA's certificate as PEM text. */
    public String otherCaPem() {
        return read(otherCaCertificate());
    }

    /** TLS for a Java client that trusts this CA only. */
    public SSLContext sslContext() {
        return sslContextTrusting(caCertificate());
    }

    /** TLS for a Java client that trusts only the CA in {@code caFile}. */
    public static SSLContext sslContextTrusting(Path caFile) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagersTrusting(caFile), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Trust managers that trust only the CA in {@code caFile}, for clients that take those rather than a context. */
    public static TrustManager[] trustManagersTrusting(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory trustManagers =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            return trustManagers.getTrustManagers();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path file(String name) {
        if (dir == null) {
            throw new IllegalStateException("the test PKI is not made yet (or closed)");
        }
        return dir.resolve(name);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        Commands.deleteTree(dir);
        dir = null;
    }
}
