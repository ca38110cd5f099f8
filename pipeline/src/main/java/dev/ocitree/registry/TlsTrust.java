package dev.ocitree.registry;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The TLS trust of a pull: the system trust store, plus the {@code *.crt} files of
 * {@link RegistryOptions#certDir()}, or any certificate with {@code tlsVerify(false)}. Reads files:
 * call it off event loops.
 */
final class TlsTrust {

    private TlsTrust() {
    }

    /** The client {@link SslContext} for {@code options}. */
    static SslContext sslContext(RegistryOptions options) {
        try {
            SslContextBuilder builder = SslContextBuilder.forClient();
            if (Boolean.FALSE.equals(options.tlsVerify())) {
                builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
            } else if (options.certDir() != null) {
                List<X509Certificate> roots = new ArrayList<>(Arrays.asList(systemRoots()));
                roots.addAll(certificates(options.certDir()));
                builder.trustManager(roots.toArray(X509Certificate[]::new));
            }
            return builder.build();
        } catch (SSLException e) {
            throw new RegistryException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static X509Certificate[] systemRoots() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            return Arrays.stream(factory.getTrustManagers()).filter(X509TrustManager.class::isInstance)
                    .map(X509TrustManager.class::cast).findFirst()
                    .map(X509TrustManager::getAcceptedIssuers).orElse(new X509Certificate[0]);
        } catch (GeneralSecurityException e) {
            throw new RegistryException("cannot read the system trust store: " + e.getMessage(), e);
        }
    }

    /** The {@code *.crt} files of a cert directory (skopeo's {@code --cert-dir}: extra CA roots). */
    private static List<X509Certificate> certificates(Path dir) {
        List<X509Certificate> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.crt")) {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Path file : files) {
                try (InputStream in = Files.newInputStream(file)) {
                    factory.generateCertificates(in).forEach(c -> out.add((X509Certificate) c));
                } catch (GeneralSecurityException e) {
                    throw new RegistryException("certificate file " + file + " is not PEM X.509: " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new RegistryException("cannot read certificate directory " + dir + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new RegistryException("X.509 is not available: " + e.getMessage(), e);
        }
        return out;
    }
}
