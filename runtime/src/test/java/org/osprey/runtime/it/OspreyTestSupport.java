package org.osprey.runtime.it;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.frameworkStartLevel;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

/**
 * Base of every Pax Exam test: boots Felix with exactly the bundles the runtime resolved
 * (runtime/target/runbundles, exported from osprey.bndrun by this build), on a free HTTP port, with a
 * known admin password. Subclasses add bundles of their own with {@link #extraOptions()}.
 * <p>
 * {@link #configuration()} runs in the driver; test methods run inside the framework, so they may only
 * use what the probe bundle sees (this class, the test classes, and packages the runtime exports).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public abstract class OspreyTestSupport {

    /** The admin password every Pax Exam framework is started with. */
    protected static final String ADMIN_PASSWORD = "pax-exam-admin-password";
    /** System property holding the HTTP port chosen for the framework under test. */
    protected static final String PORT_PROPERTY = "osprey.it.http.port";

    @Inject
    protected BundleContext context;

    @Configuration
    public Option[] configuration() throws Exception {
        int port = freePort();
        Path work = Files.createDirectories(Path.of("target", "pax-exam", getClass().getSimpleName()).toAbsolutePath());
        Path deploy = Files.createDirectories(work.resolve("deploy"));
        List<Option> options = new ArrayList<>(Arrays.asList(
                cleanCaches(true),
                frameworkStartLevel(10),
                systemProperty(PORT_PROPERTY).value(Integer.toString(port)),
                frameworkProperty("org.osgi.service.http.port").value(Integer.toString(port)),
                frameworkProperty("felix.fileinstall.dir").value(deploy.toString()),
                frameworkProperty("felix.fileinstall.poll").value("500"),
                frameworkProperty("felix.fileinstall.noInitialDelay").value("true"),
                frameworkProperty("felix.webconsole.password").value(org.osprey.launcher.TestCredentials.hash(ADMIN_PASSWORD)),
                frameworkProperty("felix.webconsole.realm").value("Osprey"),
                frameworkProperty("osprey.data").value(work.resolve("data").toString()),
                systemProperty("org.slf4j.simpleLogger.defaultLogLevel").value("warn"),
                systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"),
                systemProperty("org.slf4j.simpleLogger.logFile").value("System.out"),
                junitBundles()));
        options.addAll(runtimeBundles());
        options.addAll(Arrays.asList(extraOptions()));
        return options(options.toArray(new Option[0]));
    }

    /** Bundles or properties a subclass adds to the runtime's. */
    protected Option[] extraOptions() {
        return new Option[0];
    }

    /** Mosquitto, the test CA and the mock IoT Hub (tools/test-support), for tests that talk to brokers. */
    protected static Option testSupport() {
        return bundle(Path.of(System.getProperty("osprey.test.support.jar")).toUri().toString()).startLevel(5);
    }

    /** For tests that install model bundles: writes them (in the driver) and tells the framework side where. */
    protected static Option[] testModels() {
        try {
            Path dir = TestModels.write(Path.of("target", "pax-exam", "models").toAbsolutePath());
            return new Option[] {systemProperty(TestModelFiles.PROPERTY).value(dir.toString())};
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the test model bundles", e);
        }
    }

    /** The runtime's bundles, from this build; SLF4J first so no bundle logs into the no-op logger. */
    static List<Option> runtimeBundles() throws IOException {
        String dir = System.getProperty("osprey.runbundles");
        if (dir == null || !new File(dir).isDirectory()) {
            throw new IllegalStateException("osprey.runbundles is not a folder (" + dir + "): run the tests with mvn verify");
        }
        List<Option> bundles = new ArrayList<>();
        try (Stream<Path> jars = Files.list(Path.of(dir))) {
            jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(jar -> {
                // as the runtime does: logging, then SPI Fly (which weaves Jetty's service loading), before the rest
                String name = jar.getFileName().toString();
                boolean first = name.startsWith("slf4j-") || name.startsWith("org.apache.aries.spifly");
                bundles.add(bundle(jar.toUri().toString()).startLevel(first ? 1 : 5));
            });
        }
        return bundles;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A small HTTP answer: status and body. */
    protected static final class HttpAnswer {
        public final int status;
        public final String body;
        public final byte[] bytes;
        public final String contentType;
        public final Map<String, List<String>> headers;

        HttpAnswer(int status, byte[] bytes, String contentType, Map<String, List<String>> headers) {
            this.status = status;
            this.bytes = bytes;
            this.body = new String(bytes, StandardCharsets.UTF_8);
            this.contentType = contentType;
            this.headers = headers;
        }
    }

    /** A connection to the framework's HTTP port, as user admin when a password is given. */
    private static HttpURLConnection connect(String path, String password) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL("http://localhost:" + System.getProperty(PORT_PROPERTY) + path).openConnection();
        c.setConnectTimeout(5000);
        c.setReadTimeout(30000);
        if (password != null) {
            String token = Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
            c.setRequestProperty("Authorization", "Basic " + token);
        }
        return c;
    }

    private static HttpAnswer answer(HttpURLConnection c) throws IOException {
        int status = c.getResponseCode();
        try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
            return new HttpAnswer(status, in == null ? new byte[0] : in.readAllBytes(), c.getContentType(), c.getHeaderFields());
        } finally {
            c.disconnect();
        }
    }

    /** GET on the framework's HTTP port, with basic authentication when a password is given. */
    protected static HttpAnswer get(String path, String password) throws IOException {
        return answer(connect(path, password));
    }

    /** POST of a body with a content type, with basic authentication when a password is given. */
    protected static HttpAnswer post(String path, String contentType, byte[] body, String password) throws IOException {
        HttpURLConnection c = connect(path, password);
        c.setDoOutput(true);
        c.setInstanceFollowRedirects(false);
        c.setRequestMethod("POST");
        c.setRequestProperty("Content-Type", contentType);
        c.setFixedLengthStreamingMode(body.length);
        try (java.io.OutputStream out = c.getOutputStream()) {
            out.write(body);
        } catch (IOException e) {
            // the server may refuse a body before reading it (413): its answer is what counts
        }
        return answer(c);
    }

    /** A multipart/form-data body as a browser sends it: each value a String or, for files, a byte[] (named file.jar). */
    protected static HttpAnswer postForm(String path, java.util.Map<String, Object> fields, String password) throws IOException {
        String boundary = "----osprey" + Long.toHexString(System.nanoTime());
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        for (java.util.Map.Entry<String, Object> f : fields.entrySet()) {
            body.write(("--" + boundary + "\r\n").getBytes(StandardCharsets.UTF_8));
            if (f.getValue() instanceof byte[] bytes) {
                body.write(("Content-Disposition: form-data; name=\"" + f.getKey() + "\"; filename=\"file.jar\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
                body.write(bytes);
            } else {
                body.write(("Content-Disposition: form-data; name=\"" + f.getKey() + "\"\r\n\r\n" + f.getValue())
                        .getBytes(StandardCharsets.UTF_8));
            }
            body.write("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return post(path, "multipart/form-data; boundary=" + boundary, body.toByteArray(), password);
    }

    /** A sample image from samples/images. */
    protected static byte[] sample(String name) throws IOException {
        return Files.readAllBytes(Path.of(System.getProperty("osprey.samples"), name));
    }

    /** Retries a GET until it answers the expected status (servlets register asynchronously). */
    protected static HttpAnswer awaitStatus(String path, String password, int expected, long timeoutMillis)
            throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        HttpAnswer last = null;
        IOException error = null;
        while (System.currentTimeMillis() < deadline) {
            try {
                last = get(path, password);
                if (last.status == expected) {
                    return last;
                }
            } catch (IOException e) {
                error = e;
            }
            Thread.sleep(100);
        }
        if (last != null) {
            return last;
        }
        throw error != null ? error : new IOException("no answer from " + path);
    }
}
