package org.osprey.testsupport;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A private certificate authority for tests, made with openssl in a folder: {@code ca.pem}, and
 * certificates it signed ({@code <name>.pem} with {@code <name>.key}, unencrypted PKCS#8).
 */
public final class TestCa {

    private final Path dir;

    /** Makes the CA's key and certificate in the folder. */
    public TestCa(Path dir) throws Exception {
        this.dir = Files.createDirectories(dir);
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj",
                "/CN=Osprey test CA");
    }

    public Path caFile() {
        return dir.resolve("ca.pem");
    }

    /**
     * Signs a certificate.
     *
     * @param subjectAltName e.g. {@code DNS:localhost,IP:127.0.0.1} for a server, null for a client
     * @return the certificate; its key is beside it with the extension {@code .key}
     */
    public Path issue(String name, String commonName, String subjectAltName) throws Exception {
        run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + commonName);
        Files.writeString(dir.resolve(name + ".ext"), subjectAltName == null ? "extendedKeyUsage=clientAuth\n"
                : "subjectAltName=" + subjectAltName + "\nextendedKeyUsage=serverAuth\n", StandardCharsets.US_ASCII);
        run("openssl", "x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", name + ".pem",
                "-days", "2", "-extfile", name + ".ext");
        return dir.resolve(name + ".pem");
    }

    /** A TLS client context that trusts this CA only. */
    public javax.net.ssl.SSLContext clientContext() throws Exception {
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (var in = Files.newInputStream(caFile())) {
            trust.setCertificateEntry("ca", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /** The password of the key stores {@link #keyStore} makes (test material, not a secret). */
    public static final char[] KEY_STORE_PASSWORD = "osprey-test".toCharArray();

    /** A PKCS#12 key store with a certificate {@link #issue}d and its key, for a Java TLS server. */
    public static java.security.KeyStore keyStore(Path certificate) throws Exception {
        Path p12 = certificate.resolveSibling(certificate.getFileName() + ".p12");
        run(certificate.getParent(), "openssl", "pkcs12", "-export", "-in", certificate.toString(), "-inkey", keyOf(certificate).toString(), "-out",
                p12.toString(), "-passout", "pass:" + new String(KEY_STORE_PASSWORD));
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(p12)) {
            store.load(in, KEY_STORE_PASSWORD);
        }
        return store;
    }

    /** The key of a certificate {@link #issue}d. */
    public static Path keyOf(Path certificate) {
        String file = certificate.getFileName().toString();
        return certificate.resolveSibling(file.substring(0, file.length() - ".pem".length()) + ".key");
    }

    private void run(String... command) throws Exception {
        run(dir, command);
    }

    private static void run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }
}
