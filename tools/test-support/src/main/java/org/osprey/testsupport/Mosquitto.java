package org.osprey.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real MQTT broker for a test: Debian's Mosquitto (installed by .ci/run), run from a folder of its own
 * with persistence on, so a stop and start keeps sessions and queued messages as a real restart does.
 */
public final class Mosquitto implements AutoCloseable {

    private final Path dir;
    private final int port;
    private final String listener;
    private Process process;

    /**
     * @param listener the listener's settings after {@code listener <port>}: access, TLS files, e.g.
     *                 {@code allow_anonymous true}
     */
    public Mosquitto(Path dir, int port, String listener) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.port = port;
        this.listener = listener;
    }

    /** Mosquitto on a free port, anonymous access, started. */
    public static Mosquitto anonymous(Path dir) throws Exception {
        Mosquitto m = new Mosquitto(dir, freePort(), "allow_anonymous true");
        m.start();
        return m;
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The listener's settings for TLS with the CA's certificate for {@code localhost}. */
    public static String tls(TestCa ca, Path serverCertificate) {
        return "cafile " + ca.caFile() + "\ncertfile " + serverCertificate + "\nkeyfile " + TestCa.keyOf(serverCertificate);
    }

    public int port() {
        return port;
    }

    /** {@code tcp://127.0.0.1:<port>}, for plain listeners. */
    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    public Path directory() {
        return dir;
    }

    /** Starts the broker; does nothing when it runs. */
    public synchronized void start() throws Exception {
        if (process != null && process.isAlive()) {
            return;
        }
        Path conf = dir.resolve("mosquitto.conf");
        // run as ourselves: started as root, mosquitto would switch to its own user, which cannot write here
        Files.writeString(conf, "per_listener_settings true\nlistener " + port + "\n" + listener + "\npersistence true\npersistence_location "
                + dir + "/\nuser " + System.getProperty("user.name") + "\n", StandardCharsets.UTF_8);
        String mosquitto = Files.isExecutable(Path.of("/usr/sbin/mosquitto")) ? "/usr/sbin/mosquitto" : "mosquitto";
        process = new ProcessBuilder(mosquitto, "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto.log").toFile())).start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline && process.isAlive()) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("mosquitto did not start: " + log());
    }

    public synchronized void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            process.waitFor();
        }
    }

    public String log() throws IOException {
        Path log = dir.resolve("mosquitto.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** Adds a user to a password file (made with mosquitto_passwd) and returns the file. */
    public static Path passwordFile(Path file, String user, String password) throws Exception {
        String tool = Files.isExecutable(Path.of("/usr/bin/mosquitto_passwd")) ? "/usr/bin/mosquitto_passwd" : "mosquitto_passwd";
        Process p = new ProcessBuilder(tool, "-b", "-c", file.toString(), user, password).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("mosquitto_passwd failed: " + out);
        }
        return file;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
