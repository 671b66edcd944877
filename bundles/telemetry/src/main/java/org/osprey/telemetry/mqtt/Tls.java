package org.osprey.telemetry.mqtt;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/** TLS from PEM files: the CA certificates to trust, and the client's own certificate and key. */
final class Tls {

    private static final Pattern PKCS8 = Pattern.compile("-----BEGIN PRIVATE KEY-----([^-]+)-----END PRIVATE KEY-----");

    private Tls() {
    }

    /**
     * @param caFile   certificates to trust instead of the JVM's; null: the JVM's trust store
     * @param certFile the client's certificate chain, null for none
     * @param keyFile  the client's private key, unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}); with certFile
     */
    static SSLContext context(Path caFile, Path certFile, Path keyFile) {
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("a client certificate needs both its certificate file and its key file");
        }
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(certFile == null ? null : keyManagers(certFile, keyFile), caFile == null ? null : trustManagers(caFile), null);
            return ctx;
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static TrustManager[] trustManagers(Path pem) {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate c : certificates(pem)) {
                trust.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            return tmf.getTrustManagers();
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot use " + pem + " as trusted CA: " + e.getMessage(), e);
        }
    }

    private static KeyManager[] keyManagers(Path certFile, Path keyFile) {
        Certificate[] chain = certificates(certFile).toArray(Certificate[]::new);
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            char[] none = new char[0];
            keys.setKeyEntry("client", privateKey(keyFile, chain[0].getPublicKey().getAlgorithm()), none, chain);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, none);
            return kmf.getKeyManagers();
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot use " + certFile + " and " + keyFile + " as client certificate: " + e.getMessage(), e);
        }
    }

    private static Collection<? extends Certificate> certificates(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends Certificate> all = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (all.isEmpty()) {
                throw new IllegalArgumentException(pem + " holds no certificate");
            }
            return all;
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot read certificates from " + pem + ": " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(Path pem, String algorithm) throws Exception {
        Matcher m = PKCS8.matcher(Files.readString(pem, StandardCharsets.US_ASCII));
        if (!m.find()) {
            throw new IllegalArgumentException(pem + " holds no unencrypted PKCS#8 private key (BEGIN PRIVATE KEY); convert it with "
                    + "openssl pkcs8 -topk8 -nocrypt -in old.key -out new.key");
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(1));
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
    }
}
