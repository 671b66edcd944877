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

    /** The key of a certificate {@link #issue}d. */
    public static Path keyOf(Path certificate) {
        String file = certificate.getFileName().toString();
        return certificate.resolveSibling(file.substring(0, file.length() - ".pem".length()) + ".key");
    }

    private void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }
}
