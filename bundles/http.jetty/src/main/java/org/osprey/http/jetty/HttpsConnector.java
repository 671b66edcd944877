package org.osprey.http.jetty;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.felix.http.jetty.ConnectorFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's HTTPS port, beside Felix HTTP's plain one and on the same Jetty server (so every route
 * and the web console are served on both): TLS 1.3 and 1.2 with forward-secret AEAD cipher suites only,
 * no renegotiation. The certificate comes from the framework properties the launcher sets (a PEM
 * certificate and key, or a PKCS#12 key store and the file holding its password); a changed file is
 * loaded again within seconds, for new connections, with no restart. Without {@code osprey.https.port}
 * there is no HTTPS port.
 */
@Component(service = ConnectorFactory.class)
public final class HttpsConnector implements ConnectorFactory {

    private static final Logger LOG = LoggerFactory.getLogger(HttpsConnector.class);
    static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    /** TLS 1.3's suites, and TLS 1.2's with an ephemeral key exchange and an AEAD cipher. */
    static final List<String> CIPHER_SUITES = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
    private static final Pattern PEM_KEY = Pattern.compile("-----BEGIN PRIVATE KEY-----([^-]+)-----END PRIVATE KEY-----");
    /** The in-memory key store's password: it never leaves this object. */
    private static final char[] MEMORY = "in-memory".toCharArray();
    private static final long WATCH_MILLIS = 2000;

    private final int port;
    private final long idleTimeoutMillis;
    private final List<Path> files;
    private final Path passwordFile;
    private final boolean pem;
    private ScheduledExecutorService watcher;

    @Activate
    public HttpsConnector(BundleContext context) {
        String p = context.getProperty("osprey.https.port");
        this.port = p == null || p.isBlank() ? 0 : Integer.parseInt(p.strip());
        // the plain port's idle timeout (Felix HTTP's property), so both ports keep idle connections as long
        this.idleTimeoutMillis = millis(context.getProperty("org.apache.felix.http.timeout"), 60_000);
        String cert = context.getProperty("osprey.tls.cert");
        this.pem = cert != null;
        this.files = pem ? List.of(Path.of(cert), Path.of(context.getProperty("osprey.tls.key")))
                : port == 0 ? List.of() : List.of(Path.of(context.getProperty("osprey.tls.keystore")));
        String pw = context.getProperty("osprey.tls.keystore.passwordFile");
        this.passwordFile = pw == null ? null : Path.of(pw);
    }

    /** As Felix HTTP reads its timeout: a value that is not a number is the default. */
    static long millis(String value, long otherwise) {
        try {
            return value == null || value.isBlank() ? otherwise : Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    @Override
    public synchronized Connector createConnector(Server server) {
        if (port == 0) {
            return new LocalConnector(server); // opens no port
        }
        SslContextFactory.Server tls = new SslContextFactory.Server();
        KeyStore keys;
        try {
            keys = keyStore();
            tls.setKeyStore(keys);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            LOG.error("No HTTPS: cannot read the certificate {}: {}", files, e.getMessage());
            return new LocalConnector(server);
        }
        tls.setKeyStorePassword(new String(MEMORY));
        tls.setIncludeProtocols(PROTOCOLS.toArray(String[]::new));
        tls.setIncludeCipherSuites(CIPHER_SUITES.toArray(String[]::new));
        tls.setRenegotiationAllowed(false);
        HttpConfiguration http = new HttpConfiguration(plainConfiguration(server));
        http.setSecureScheme("https");
        http.setSecurePort(port);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        // clients that reach the gateway by an address the certificate does not name are the client's business
        secure.setSniHostCheck(false);
        http.addCustomizer(secure);
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory(http));
        connector.setPort(port);
        connector.setIdleTimeout(idleTimeoutMillis);
        connector.setName("osprey-https");
        watch(tls);
        LOG.info("HTTPS on port {} ({})", port, describe(keys));
        return connector;
    }

    /** Felix's plain connector's settings (header limits, server version hidden), for the same behaviour on both ports. */
    private static HttpConfiguration plainConfiguration(Server server) {
        for (Connector c : server.getConnectors()) {
            HttpConnectionFactory f = c.getConnectionFactory(HttpConnectionFactory.class);
            if (f != null) {
                return f.getHttpConfiguration();
            }
        }
        return new HttpConfiguration();
    }

    private void watch(SslContextFactory.Server tls) {
        if (watcher != null) {
            watcher.shutdownNow(); // Felix made a new server (its configuration changed): watch for the new connector only
        }
        watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "osprey-https-certificate");
            t.setDaemon(true);
            return t;
        });
        // seen[0]: the files' time when last loaded; seen[1]: when last found unreadable (said once)
        FileTime[] seen = {modified(), null};
        watcher.scheduleWithFixedDelay(() -> {
            FileTime now = modified();
            if (now == null || now.equals(seen[0])) {
                return;
            }
            try {
                KeyStore fresh = keyStore();
                tls.reload(f -> f.setKeyStore(fresh));
                seen[0] = now;
                LOG.info("HTTPS certificate loaded again: {}", describe(fresh));
            } catch (Exception e) {
                // a certificate written in two steps may be read half way: the next look tries again
                if (!now.equals(seen[1])) {
                    seen[1] = now;
                    LOG.warn("HTTPS certificate changed but cannot be used yet (the one before stays in use): {}", e.getMessage());
                }
            }
        }, WATCH_MILLIS, WATCH_MILLIS, TimeUnit.MILLISECONDS);
    }

    private FileTime modified() {
        FileTime latest = null;
        try {
            for (Path f : files) {
                FileTime t = Files.getLastModifiedTime(f);
                latest = latest == null || t.compareTo(latest) > 0 ? t : latest;
            }
            if (passwordFile != null) {
                FileTime t = Files.getLastModifiedTime(passwordFile);
                latest = t.compareTo(latest) > 0 ? t : latest;
            }
        } catch (IOException e) {
            return null;
        }
        return latest;
    }

    /** The certificate and key as an in-memory key store, from PEM files or a PKCS#12 file. */
    KeyStore keyStore() throws IOException, GeneralSecurityException {
        KeyStore out = KeyStore.getInstance("PKCS12");
        out.load(null, null);
        if (pem) {
            Certificate[] chain;
            try (InputStream in = Files.newInputStream(files.get(0))) {
                Collection<? extends Certificate> all = CertificateFactory.getInstance("X.509").generateCertificates(in);
                chain = all.toArray(Certificate[]::new);
            }
            if (chain.length == 0) {
                throw new GeneralSecurityException(files.get(0) + " holds no certificate");
            }
            Matcher m = PEM_KEY.matcher(Files.readString(files.get(1), StandardCharsets.US_ASCII));
            if (!m.find()) {
                throw new GeneralSecurityException(files.get(1) + " holds no unencrypted PKCS#8 key (BEGIN PRIVATE KEY); convert it with "
                        + "openssl pkcs8 -topk8 -nocrypt");
            }
            PrivateKey key = KeyFactory.getInstance(chain[0].getPublicKey().getAlgorithm())
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(m.group(1))));
            matches(key, chain[0]);
            out.setKeyEntry("osprey", key, MEMORY, chain);
            return out;
        }
        char[] password = Files.readString(passwordFile, StandardCharsets.UTF_8).toCharArray();
        KeyStore given = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(files.get(0))) {
            given.load(in, password);
        }
        for (String alias : java.util.Collections.list(given.aliases())) {
            if (given.isKeyEntry(alias)) {
                out.setKeyEntry("osprey", given.getKey(alias, password), MEMORY, given.getCertificateChain(alias));
                return out;
            }
        }
        throw new GeneralSecurityException(files.get(0) + " holds no key");
    }

    /** A renewal writes the key and the certificate one after the other: a pair caught in between is not served. */
    private static void matches(PrivateKey key, Certificate cert) throws GeneralSecurityException {
        String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        byte[] probe = "osprey".getBytes(StandardCharsets.US_ASCII);
        java.security.Signature sign = java.security.Signature.getInstance(algorithm);
        sign.initSign(key);
        sign.update(probe);
        byte[] signature = sign.sign();
        java.security.Signature verify = java.security.Signature.getInstance(algorithm);
        verify.initVerify(cert.getPublicKey());
        verify.update(probe);
        if (!verify.verify(signature)) {
            throw new GeneralSecurityException("the key does not belong to the certificate");
        }
    }

    /** The serving certificate's subject and SHA-256 fingerprint, for the log. */
    private String describe(KeyStore ks) {
        try {
            X509Certificate c = (X509Certificate) ks.getCertificate("osprey");
            return c.getSubjectX500Principal().getName() + ", SHA-256 "
                    + HexFormat.ofDelimiter(":").withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
        } catch (GeneralSecurityException e) {
            return files.toString();
        }
    }

    @Deactivate
    synchronized void deactivate() {
        if (watcher != null) {
            watcher.shutdownNow();
        }
    }
}
