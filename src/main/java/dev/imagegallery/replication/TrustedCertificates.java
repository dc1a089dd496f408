package dev.imagegallery.replication;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/** A store's CA bundle (PEM) as the TLS clients of every store kind take it: nothing else is trusted. */
final class TrustedCertificates {
    private TrustedCertificates() {}

    /** An SSL context that trusts exactly the certificates of {@code caPem}. */
    static SSLContext sslContext(String caPem) throws StoreUnavailableException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers(caPem), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw certificateInvalid(e);
        }
    }

    /** Trust managers that trust exactly the certificates of {@code caPem}. */
    static TrustManager[] trustManagers(String caPem) throws StoreUnavailableException {
        try {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int n = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII)))) {
                trusted.setCertificateEntry("ca-" + n++, certificate);
            }
            if (n == 0) {
                throw new StoreUnavailableException(
                        FailureReason.CertificateInvalid, "the CA bundle holds no PEM certificate", null);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            return factory.getTrustManagers();
        } catch (GeneralSecurityException | IOException e) {
            throw e instanceof StoreUnavailableException store ? store : certificateInvalid(e);
        }
    }

    private static StoreUnavailableException certificateInvalid(Exception e) {
        return new StoreUnavailableException(
                FailureReason.CertificateInvalid, "the CA bundle cannot be read as PEM certificates: " + e, e);
    }
}
