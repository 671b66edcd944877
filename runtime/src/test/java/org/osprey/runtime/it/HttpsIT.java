package org.osprey.runtime.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.File;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.osprey.testsupport.TestCa;

/**
 * HTTPS as a user meets it, on {@code osprey.jar}: the self-signed certificate of a first start, checked
 * by its printed fingerprint from Java, curl, openssl and headless Chromium; only TLS 1.2+ with forward
 * secrecy; a certificate from a CA, replaced while the gateway runs; and the admin routes kept off plain
 * HTTP for other machines.
 */
public class HttpsIT {

    private static final Pattern FINGERPRINT = Pattern.compile("SHA-256 fingerprint:\\s+([0-9A-F:]{95})");

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private GatewayProcess gateway;

    @After
    public void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
            gateway.keepLog("HttpsIT");
        }
    }

    /** The certificate the server presents (whatever it is), by a handshake that trusts anything. */
    private static X509Certificate presented(String host, int port) throws Exception {
        X509Certificate[] seen = new X509Certificate[1];
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                seen[0] = chain[0];
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(host, port)) {
            s.startHandshake();
        }
        return seen[0];
    }

    private static String fingerprint(X509Certificate c) throws Exception {
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
    }

    /** A client that trusts exactly the certificate with this fingerprint, and checks the host name as browsers do. */
    private static HttpClient pinned(String fingerprint) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("no client certificates");
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                try {
                    if (!fingerprint(chain[0]).equals(fingerprint)) {
                        throw new CertificateException("not the certificate the gateway printed");
                    }
                } catch (CertificateException e) {
                    throw e;
                } catch (Exception e) {
                    throw new CertificateException(e);
                }
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static HttpResponse<String> get(HttpClient client, String url, boolean admin) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (admin) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("admin:" + GatewayProcess.PASSWORD).getBytes(StandardCharsets.UTF_8)));
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitHttps(HttpClient client, String url) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                if (get(client, url, false).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("HTTPS never answered " + url + "\n" + gateway.log(), notYet);
                }
            }
            Thread.sleep(200);
        }
    }

    private static ProcessResult run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close(); // s_client waits for input otherwise
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(String.join(" ", command) + " did not end", p.waitFor(60, TimeUnit.SECONDS));
        return new ProcessResult(p.exitValue(), out);
    }

    private record ProcessResult(int exit, String output) {
    }

    /** An address of this machine other than loopback, as another machine on the LAN would reach it. */
    private static Optional<String> lanAddress() throws Exception {
        for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress a : Collections.list(n.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress() && n.isUp()) {
                    return Optional.of(a.getHostAddress());
                }
            }
        }
        return Optional.empty();
    }

    @Test
    public void theSelfSignedCertificateIsTheOnePrintedAndOnlyStrongTlsIsOffered() throws Exception {
        gateway = new GatewayProcess(tmp.newFolder("gateway").toPath());
        gateway.start(Map.of());
        int port = gateway.httpsPort();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Matcher printed = FINGERPRINT.matcher("");
        while (!(printed = FINGERPRINT.matcher(gateway.log())).find()) {
            assertTrue("the fingerprint is printed at the first start\n" + gateway.log(), System.nanoTime() < deadline);
            Thread.sleep(100);
        }
        String fingerprint = printed.group(1);
        HttpClient client = pinned(fingerprint);
        awaitHttps(client, "https://localhost:" + port + "/health");
        X509Certificate cert = presented("localhost", port);
        assertEquals("the certificate served is the one printed", fingerprint, fingerprint(cert));
        assertEquals("EC", cert.getPublicKey().getAlgorithm());
        assertTrue("valid for years", cert.getNotAfter().getTime() - System.currentTimeMillis() > TimeUnit.DAYS.toMillis(2 * 365));

        // Java: the admin API and the console over HTTPS; a name the certificate does not hold is refused
        assertEquals(200, get(client, "https://localhost:" + port + "/api/v1/models", true).statusCode());
        assertEquals(200, get(client, "https://localhost:" + port + "/system/console/bundles", true).statusCode());
        assertEquals(401, get(client, "https://localhost:" + port + "/api/v1/models", false).statusCode());
        try {
            get(client, "https://127.0.0.2:" + port + "/health", false);
            fail("127.0.0.2 is not a name of the certificate");
        } catch (SSLHandshakeException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("127.0.0.2"));
        }

        // curl, trusting the certificate as a file; a wrong name is refused
        Path pem = tmp.getRoot().toPath().resolve("gateway.pem");
        Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder().encodeToString(cert.getEncoded()) + "\n-----END CERTIFICATE-----\n");
        ProcessResult ok = run("curl", "-sS", "--cacert", pem.toString(), "-o", "/dev/null", "-w", "%{http_code}", "https://localhost:" + port + "/health");
        assertEquals(ok.output(), "200", ok.output().strip());
        ProcessResult wrongName = run("curl", "-sS", "--cacert", pem.toString(), "--resolve", "wrong.example:" + port + ":127.0.0.1",
                "https://wrong.example:" + port + "/health");
        assertEquals(wrongName.output(), 60, wrongName.exit());

        // openssl: TLS 1.2 with forward-secret AEAD suites and TLS 1.3, nothing older or weaker
        String target = "localhost:" + port;
        ProcessResult tls13 = run("openssl", "s_client", "-connect", target, "-tls1_3");
        assertTrue(tls13.output(), tls13.output().contains("New, TLSv1.3, Cipher is TLS_AES"));
        ProcessResult tls12 = run("openssl", "s_client", "-connect", target, "-tls1_2");
        assertTrue(tls12.output(), tls12.output().matches("(?s).*New, TLSv1\\.2, Cipher is ECDHE-ECDSA-(AES\\d+-GCM-SHA\\d+|CHACHA20-POLY1305).*"));
        for (String[] weak : new String[][] {{"-tls1_1"}, {"-tls1"}, {"-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA256"},
            {"-tls1_2", "-cipher", "ECDHE-ECDSA-AES256-SHA"}, {"-tls1_2", "-cipher", "AES128-GCM-SHA256"}}) {
            String[] command = new String[4 + weak.length];
            System.arraycopy(new String[] {"openssl", "s_client", "-connect", target}, 0, command, 0, 4);
            System.arraycopy(weak, 0, command, 4, weak.length);
            ProcessResult r = run(command);
            assertTrue(String.join(" ", weak) + " is refused: " + r.output(), r.output().contains("Cipher is (NONE)") || r.exit() != 0);
        }

        // plain HTTP: the admin routes and the console answer this machine; another is sent to HTTPS, before any password is read
        int http = gateway.port();
        HttpClient plain = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        assertEquals(200, get(plain, "http://127.0.0.1:" + http + "/api/v1/models", true).statusCode());
        Optional<String> lan = lanAddress();
        assertTrue("this machine has a network address besides loopback", lan.isPresent());
        HttpResponse<String> redirected = get(plain, "http://" + lan.get() + ":" + http + "/api/v1/models", true);
        assertEquals(redirected.body(), 308, redirected.statusCode());
        assertEquals("https://" + lan.get() + ":" + port + "/api/v1/models", redirected.headers().firstValue("Location").orElse(""));
        assertEquals(308, get(plain, "http://" + lan.get() + ":" + http + "/system/console/bundles", true).statusCode());
        assertEquals("health stays on plain HTTP", 200, get(plain, "http://" + lan.get() + ":" + http + "/health", false).statusCode());
        HttpResponse<String> inference = plain.send(HttpRequest.newBuilder(URI.create("http://" + lan.get() + ":" + http + "/image"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(Files.readAllBytes(Path.of(System.getProperty("osprey.samples"), "astronaut.png")))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("the inference routes stay on plain HTTP: " + inference.body(), 200, inference.statusCode());

        // a restart keeps the certificate (browsers that accepted it keep working) and prints no new fingerprint
        gateway.kill();
        String before = gateway.log();
        gateway.start(Map.of());
        awaitHttps(client, "https://localhost:" + port + "/health");
        assertEquals(fingerprint, fingerprint(presented("localhost", port)));
        assertFalse("no new certificate", FINGERPRINT.matcher(gateway.log().substring(before.length())).find());

        // ./osprey token: a metrics:read token made on this machine, used by a scraper over HTTPS, revoked
        Path script = Path.of(System.getProperty("osprey.samples")).resolve("../../osprey").normalize();
        Path tokenFile = tmp.getRoot().toPath().resolve("scraper-token");
        ProcessBuilder made = new ProcessBuilder("sh", script.toString(), "token", "create", "scraper", "--scope", "metrics:read")
                .redirectOutput(tokenFile.toFile()).redirectErrorStream(false);
        made.environment().put("OSPREY_HTTP_PORT", Integer.toString(http));
        made.environment().put("OSPREY_ADMIN_PASSWORD", GatewayProcess.PASSWORD);
        Process p = made.start();
        String said = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(said, p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0);
        assertTrue(said, said.contains("shown once"));
        // what a scraper's credentials file holds: the token alone
        String token = Files.readString(tokenFile).strip();
        assertTrue(token, token.matches("osprey_[A-Za-z0-9_-]{43}"));
        HttpRequest scrape = HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/api/v1/metrics")).header("Authorization", "Bearer " + token)
                .build();
        HttpResponse<String> metrics = client.send(scrape, HttpResponse.BodyHandlers.ofString());
        assertEquals(metrics.body(), 200, metrics.statusCode());
        assertTrue(metrics.body(), metrics.body().contains("osprey_pipeline_frames_processed_total"));
        ProcessBuilder revoke = new ProcessBuilder("sh", script.toString(), "token", "revoke", "scraper").redirectErrorStream(true);
        revoke.environment().putAll(made.environment());
        Process r = revoke.start();
        String revoked = new String(r.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(revoked, r.waitFor(60, TimeUnit.SECONDS) && r.exitValue() == 0);
        assertEquals(401, client.send(scrape, HttpResponse.BodyHandlers.ofString()).statusCode());

        // headless Chromium accepts the certificate by its key's hash (as a user accepts it once) and shows the console
        chromiumShowsTheConsole(port, cert, client);
    }

    private void chromiumShowsTheConsole(int port, X509Certificate cert, HttpClient client) throws Exception {
        String chromium = System.getProperty("osprey.chromium", "/usr/bin/chromium");
        String chromedriver = System.getProperty("osprey.chromedriver", "/usr/bin/chromedriver");
        assertTrue("headless Chromium and chromedriver are needed", Files.isExecutable(Path.of(chromium)) && Files.isExecutable(Path.of(chromedriver)));
        String spki = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(cert.getPublicKey().getEncoded()));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--ignore-certificate-errors-spki-list=" + spki);
        ChromeDriver browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new File(chromedriver)).usingAnyFreePort().build(),
                options);
        try {
            browser.get("https://admin:" + GatewayProcess.PASSWORD + "@localhost:" + port + "/system/console/bundles");
            new WebDriverWait(browser, Duration.ofSeconds(30)).until(b -> b.getPageSource().contains("osprey.model.blazeface"));
            String url = browser.getCurrentUrl();
            assertTrue(url, url.startsWith("https://") && url.contains("localhost:" + port + "/system/console/bundles"));
            assertTrue(browser.findElements(By.tagName("body")).size() == 1);

            // the console's API tokens page: make one (shown once), use it, revoke it
            browser.get("https://localhost:" + port + "/system/console/osprey-tokens");
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            wait.until(b -> b.findElements(By.cssSelector("#osprey-token-list tbody tr")).size() > 0);
            browser.findElement(By.id("osprey-token-name")).sendKeys("grafana");
            browser.findElement(By.cssSelector("#osprey-token-scopes input[value='events:read']")).click();
            browser.findElement(By.cssSelector("#osprey-make-token button[type=submit]")).click();
            wait.until(b -> !b.findElement(By.id("osprey-new-token-value")).getText().isBlank());
            String token = browser.findElement(By.id("osprey-new-token-value")).getText().strip();
            wait.until(b -> b.findElements(By.cssSelector("#osprey-token-list tr[data-token='grafana']")).size() == 1);
            assertTrue(browser.findElement(By.cssSelector("#osprey-token-list tr[data-token='grafana']")).getText().contains("metrics:read, events:read"));
            HttpRequest events = HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/api/v1/events")).header("Authorization", "Bearer " + token).build();
            assertEquals(200, client.send(events, HttpResponse.BodyHandlers.ofString()).statusCode());
            browser.findElement(By.cssSelector("#osprey-token-list tr[data-token='grafana'] button")).click();
            wait.until(org.openqa.selenium.support.ui.ExpectedConditions.alertIsPresent()).accept();
            wait.until(b -> b.findElements(By.cssSelector("#osprey-token-list tr[data-token='grafana']")).isEmpty());
            assertEquals(401, client.send(events, HttpResponse.BodyHandlers.ofString()).statusCode());
        } finally {
            browser.quit();
        }
    }

    /** A certificate from a CA, as PEM files; replaced on disk, it is served to new connections within seconds, no restart. */
    @Test
    public void aPemCertificateIsServedAndReplacedWhileRunning() throws Exception {
        Path dir = tmp.getRoot().toPath();
        TestCa ca = new TestCa(dir.resolve("ca"));
        Path first = ca.issue("first", "localhost", "DNS:localhost,IP:127.0.0.1");
        Path cert = dir.resolve("tls.crt");
        Path key = dir.resolve("tls.key");
        Files.copy(first, cert);
        Files.copy(TestCa.keyOf(first), key);
        gateway = new GatewayProcess(tmp.newFolder("gateway").toPath());
        gateway.start(Map.of("OSPREY_TLS_CERT", cert.toString(), "OSPREY_TLS_KEY", key.toString()));
        int port = gateway.httpsPort();
        HttpClient client = HttpClient.newBuilder().sslContext(ca.clientContext()).connectTimeout(Duration.ofSeconds(5)).build();
        awaitHttps(client, "https://localhost:" + port + "/health");
        assertFalse("no certificate is made when one is given", FINGERPRINT.matcher(gateway.log()).find());
        X509Certificate served = presented("localhost", port);
        assertEquals(fingerprint(certificate(first)), fingerprint(served));

        Path second = ca.issue("second", "localhost", "DNS:localhost,IP:127.0.0.1");
        // the key first, then the certificate, as a renewal tool writes them: in between, the pair does not match and the old one serves
        Files.copy(TestCa.keyOf(second), key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        long between = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!gateway.log().contains("HTTPS certificate changed but cannot be used yet")) {
            assertTrue("the mismatched pair is noticed\n" + gateway.log(), System.nanoTime() < between);
            Thread.sleep(100);
        }
        assertTrue(gateway.log(), gateway.log().contains("the key does not belong to the certificate"));
        assertEquals("the old certificate serves meanwhile", fingerprint(served), fingerprint(presented("localhost", port)));
        assertEquals(200, get(client, "https://localhost:" + port + "/health", false).statusCode());
        Files.copy(second, cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String renewed = fingerprint(certificate(second));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!fingerprint(presented("localhost", port)).equals(renewed)) {
            assertTrue("the renewed certificate is served within 30 s\n" + gateway.log(), System.nanoTime() < deadline);
            Thread.sleep(200);
        }
        assertNotEquals(fingerprint(served), renewed);
        assertEquals(200, get(client, "https://localhost:" + port + "/api/v1/models", true).statusCode());
    }

    /** A PKCS#12 key store and its password from the variables; and plain admin access allowed, as the unsafe option says. */
    @Test
    public void aKeyStoreIsServedAndPlainAdminCanBeAllowed() throws Exception {
        Path dir = tmp.getRoot().toPath();
        TestCa ca = new TestCa(dir.resolve("ca"));
        Path issued = ca.issue("gateway", "localhost", "DNS:localhost,IP:127.0.0.1");
        TestCa.keyStore(issued); // writes gateway.pem.p12 beside it
        Path p12 = issued.resolveSibling(issued.getFileName() + ".p12");
        gateway = new GatewayProcess(tmp.newFolder("gateway").toPath());
        Files.writeString(gateway.deploy().resolve("org.osprey.http.transport.cfg"), "allowPlainAdmin=true\n");
        gateway.start(Map.of("OSPREY_TLS_KEYSTORE", p12.toString(), "OSPREY_TLS_KEYSTORE_PASSWORD", new String(TestCa.KEY_STORE_PASSWORD)));
        int port = gateway.httpsPort();
        HttpClient client = HttpClient.newBuilder().sslContext(ca.clientContext()).connectTimeout(Duration.ofSeconds(5)).build();
        awaitHttps(client, "https://localhost:" + port + "/health");
        assertEquals(fingerprint(certificate(issued)), fingerprint(presented("localhost", port)));
        assertFalse("the password is in no property the console shows: " + gateway.log(), gateway.log().contains(new String(TestCa.KEY_STORE_PASSWORD)));

        Optional<String> lan = lanAddress();
        assertTrue(lan.isPresent());
        HttpClient plain = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        String url = "http://" + lan.get() + ":" + gateway.port() + "/api/v1/models";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int status;
        while ((status = get(plain, url, true).statusCode()) != 200 && System.nanoTime() < deadline) {
            Thread.sleep(200); // the deploy folder's configuration reaches the guard a moment after the start
        }
        assertEquals("allowPlainAdmin=true: admin over plain HTTP from the network", 200, status);
    }

    private static X509Certificate certificate(Path pem) throws Exception {
        try (var in = Files.newInputStream(pem)) {
            return (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
