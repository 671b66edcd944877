package org.osprey.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The HTTPS port and its certificate, from the OSPREY_HTTPS_PORT and OSPREY_TLS_* variables: a PEM
 * certificate and key, or a PKCS#12 key store, or else a self-signed certificate made at the first start
 * (EC P-256, the host's names and addresses, three years) and kept in {@code $OSPREY_DATA/tls}. The
 * bundle that serves HTTPS reads the framework properties this makes ({@link #properties()}).
 */
final class TlsSettings {

    static final String HTTPS_PORT = "OSPREY_HTTPS_PORT";
    static final String CERT = "OSPREY_TLS_CERT";
    static final String KEY = "OSPREY_TLS_KEY";
    static final String KEYSTORE = "OSPREY_TLS_KEYSTORE";
    static final String KEYSTORE_PASSWORD = "OSPREY_TLS_KEYSTORE_PASSWORD";
    static final int DEFAULT_HTTPS_PORT = 8886;
    static final String GENERATED = "osprey-self-signed.p12";
    private static final int VALIDITY_DAYS = 3 * 365;

    /** 0: no HTTPS ({@code OSPREY_HTTPS_PORT=off}). */
    final int port;
    final Path certFile;
    final Path keyFile;
    final Path keyStore;
    final Path keyStorePasswordFile;
    /** The SHA-256 fingerprint of a certificate made at this start, to show once; else null. */
    final String madeFingerprint;
    final List<String> madeFor;

    private TlsSettings(int port, Path certFile, Path keyFile, Path keyStore, Path keyStorePasswordFile, String madeFingerprint, List<String> madeFor) {
        this.port = port;
        this.certFile = certFile;
        this.keyFile = keyFile;
        this.keyStore = keyStore;
        this.keyStorePasswordFile = keyStorePasswordFile;
        this.madeFingerprint = madeFingerprint;
        this.madeFor = madeFor;
    }

    static TlsSettings fromEnvironment(Map<String, String> env, Path dataDir, int httpPort) throws LaunchException {
        String portValue = env.getOrDefault(HTTPS_PORT, "").strip();
        if (portValue.equalsIgnoreCase("off")) {
            return new TlsSettings(0, null, null, null, null, null, List.of());
        }
        int port = portValue.isEmpty() ? DEFAULT_HTTPS_PORT : LaunchSettings.port(HTTPS_PORT, portValue);
        if (port == httpPort) {
            throw new LaunchException(HTTPS_PORT + " and " + LaunchSettings.HTTP_PORT + " are both " + port + "; give HTTPS a port of its own");
        }
        Path tls = dataDir.resolve("tls");
        String cert = blankToNull(env.get(CERT));
        String key = blankToNull(env.get(KEY));
        String store = blankToNull(env.get(KEYSTORE));
        if ((cert == null) != (key == null)) {
            throw new LaunchException("set both " + CERT + " and " + KEY + " (PEM certificate chain and its unencrypted PKCS#8 key), or neither");
        }
        if (cert != null && store != null) {
            throw new LaunchException("set " + CERT + " and " + KEY + ", or " + KEYSTORE + ", not both");
        }
        if (cert != null) {
            return new TlsSettings(port, readable(CERT, cert), readable(KEY, key), null, null, null, List.of());
        }
        try {
            Files.createDirectories(tls);
            if (store != null) {
                // the password goes to the serving bundle through a file only the gateway's user reads, never a property
                Path passwordFile = secret(tls.resolve("keystore.password"), env.getOrDefault(KEYSTORE_PASSWORD, ""));
                return new TlsSettings(port, null, null, readable(KEYSTORE, store), passwordFile, null, List.of());
            }
            Path generated = tls.resolve(GENERATED);
            Path passwordFile = tls.resolve(GENERATED + ".password");
            if (Files.exists(generated) && Files.exists(passwordFile)) {
                return new TlsSettings(port, null, null, generated, passwordFile, null, List.of());
            }
            List<String> names = hostNames();
            String password = randomPassword();
            makeSelfSigned(generated, password, names);
            secret(passwordFile, password);
            return new TlsSettings(port, null, null, generated, passwordFile, fingerprint(generated, password), names);
        } catch (IOException e) {
            throw new LaunchException("cannot set up HTTPS in " + tls + ": " + e.getMessage());
        }
    }

    /** The framework properties the HTTPS bundle reads. */
    Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        if (port == 0) {
            return p;
        }
        p.put("osprey.https.port", Integer.toString(port));
        if (certFile != null) {
            p.put("osprey.tls.cert", certFile.toString());
            p.put("osprey.tls.key", keyFile.toString());
        } else {
            p.put("osprey.tls.keystore", keyStore.toString());
            p.put("osprey.tls.keystore.passwordFile", keyStorePasswordFile.toString());
        }
        return p;
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.strip();
    }

    private static Path readable(String variable, String value) throws LaunchException {
        Path p = Path.of(value).toAbsolutePath();
        if (!Files.isReadable(p)) {
            throw new LaunchException(variable + ": cannot read " + p);
        }
        return p;
    }

    private static Path secret(Path file, String value) throws IOException {
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
        Files.writeString(file, value, StandardCharsets.UTF_8);
        return file;
    }

    private static String randomPassword() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** localhost, this host's name, and every address of its interfaces: what a browser on the LAN may type. */
    static List<String> hostNames() {
        Set<String> names = new LinkedHashSet<>(List.of("DNS:localhost"));
        Set<InetAddress> addresses = new LinkedHashSet<>();
        try {
            addresses.add(InetAddress.getByName("127.0.0.1"));
            addresses.add(InetAddress.getByName("::1"));
            String host = InetAddress.getLocalHost().getHostName();
            if (!host.isBlank() && !host.matches("[0-9a-fA-F.:]+")) {
                names.add("DNS:" + host.toLowerCase(Locale.ROOT));
            }
        } catch (IOException unknown) {
            // no name: addresses only
        }
        try {
            for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(n.getInetAddresses())) {
                    if (!a.isLinkLocalAddress()) {
                        addresses.add(InetAddress.getByAddress(a.getAddress())); // without the interface's scope
                    }
                }
            }
        } catch (IOException e) {
            // addresses unknown: localhost still works
        }
        addresses.forEach(a -> names.add("IP:" + a.getHostAddress()));
        return new ArrayList<>(names);
    }

    /** keytool, from the JDK or JRE that runs the gateway: the JDK has no public API to sign a certificate. */
    private static void makeSelfSigned(Path store, String password, List<String> names) throws IOException, LaunchException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        String san = String.join(",", names.stream().map(n -> n.startsWith("DNS:") ? "dns:" + n.substring(4) : "ip:" + n.substring(3)).toList());
        Path tmp = store.resolveSibling(store.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        List<String> command = List.of(keytool.toString(), "-genkeypair", "-alias", "osprey", "-keyalg", "EC", "-groupname", "secp256r1",
                "-sigalg", "SHA256withECDSA", "-validity", Integer.toString(VALIDITY_DAYS), "-dname", "CN=Osprey gateway, O=Osprey",
                "-ext", "SAN=" + san, "-ext", "EKU=serverAuth", "-keystore", tmp.toString(), "-storetype", "PKCS12",
                "-storepass:env", "OSPREY_KEYTOOL_PASSWORD", "-keypass:env", "OSPREY_KEYTOOL_PASSWORD");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("OSPREY_KEYTOOL_PASSWORD", password);
        Process p = pb.start();
        String output;
        try (InputStream in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new LaunchException("cannot make the HTTPS certificate with " + keytool + ": " + output
                        + " (set " + CERT + " and " + KEY + ", or " + HTTPS_PORT + "=off)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException("interrupted while making the HTTPS certificate");
        }
        Files.move(tmp, store, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** The SHA-256 fingerprint of the key store's certificate, as browsers show it: {@code AB:CD:...}. */
    static String fingerprint(Path store, String password) throws IOException {
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password.toCharArray());
            Certificate c = ks.getCertificate(ks.aliases().nextElement());
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(c.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }
}
