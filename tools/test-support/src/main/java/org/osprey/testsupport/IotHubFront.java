package org.osprey.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * IoT Hub's MQTT front door: TLS on the port devices connect to, and the hub's authentication of each
 * CONNECT before anything reaches the broker behind it. The password must be a SAS token
 * ({@code SharedAccessSignature sr=<resource>&sig=<signature>&se=<expiry>}) for the client's own
 * resource ({@code <hub>/devices/<device>} or {@code .../modules/<module>}), signed with HMAC-SHA256 of
 * {@code <sr>\n<se>} under the device's or module's key, not expired; the user name is
 * {@code <hub>/<client id>/?api-version=...}. Refused connections get CONNACK 5 (not authorized), as
 * from the hub. An accepted connection is closed when its token expires, as the hub does, so a device
 * must renew its token to stay connected.
 */
public final class IotHubFront implements AutoCloseable {

    /** A connection the front let through: who, and until when its token is valid. */
    public record Connect(String clientId, long expiry) {
    }

    private final int port;
    private final String hubHost;
    private final int brokerPort;
    private final SSLContext tls;
    private final Map<String, byte[]> keys = new ConcurrentHashMap<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService expiries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "iot-hub-front-expiry");
        t.setDaemon(true);
        return t;
    });
    private ServerSocket server;
    /** Connections let through, in order. */
    public final BlockingQueue<Connect> accepted = new LinkedBlockingQueue<>();
    /** Connections refused, as "client id: reason", in order. */
    public final BlockingQueue<String> refused = new LinkedBlockingQueue<>();

    /**
     * @param certificate the server certificate (a key beside it, see {@link TestCa#issue})
     * @param brokerPort the plain MQTT port of the broker behind the front, on 127.0.0.1
     */
    public IotHubFront(int port, String hubHost, Path certificate, int brokerPort) throws Exception {
        this.port = port;
        this.hubHost = hubHost;
        this.brokerPort = brokerPort;
        this.tls = SSLContext.getInstance("TLS");
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(TestCa.keyStore(certificate), TestCa.KEY_STORE_PASSWORD);
        tls.init(keyManagers.getKeyManagers(), null, null);
    }

    /** Registers a device ({@code device}) or a module ({@code device/module}) with its symmetric key. */
    public void register(String clientId, byte[] key) {
        keys.put(clientId, key.clone());
    }

    /** Listens (again); does nothing when listening. */
    public synchronized void start() throws IOException {
        if (server != null) {
            return;
        }
        ServerSocket s = tls.getServerSocketFactory().createServerSocket();
        s.setReuseAddress(true);
        // a connection accepted just as stop() closed the port may hold it a moment longer: try again for a while
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(15);
        while (true) {
            try {
                s.bind(new InetSocketAddress(port));
                break;
            } catch (java.net.BindException inUse) {
                if (System.nanoTime() > deadline) {
                    closeQuietly(s);
                    throw inUse;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    closeQuietly(s);
                    throw inUse;
                }
            }
        }
        server = s;
        Thread t = new Thread(() -> accept(s), "iot-hub-front");
        t.setDaemon(true);
        t.start();
    }

    /** The hub goes down: the port is closed and every connection through it is cut. */
    public synchronized void stop() {
        if (server != null) {
            closeQuietly(server);
            server = null;
        }
        open.forEach(IotHubFront::closeQuietly);
        open.clear();
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket device = s.accept();
                open.add(device);
                if (s.isClosed()) {
                    // accepted as stop() ran: stop() may have missed it, and it would keep the port
                    closeQuietly(device);
                    open.remove(device);
                    continue;
                }
                Thread t = new Thread(() -> serve(device), "iot-hub-front-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                // stopped
            }
        }
    }

    private void serve(Socket device) {
        Socket broker = null;
        try {
            InputStream in = device.getInputStream();
            int type = in.read();
            if (type != 0x10) {
                return; // not MQTT's CONNECT first
            }
            int length = 0;
            for (int shift = 0, b; ; shift += 7) {
                b = in.read();
                if (b < 0 || shift > 21) {
                    return;
                }
                length |= (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    break;
                }
            }
            byte[] body = in.readNBytes(length);
            DataInputStream connect = new DataInputStream(new java.io.ByteArrayInputStream(body));
            String protocol = connect.readUTF();
            int level = connect.readUnsignedByte();
            int flags = connect.readUnsignedByte();
            int keepAlive = connect.readUnsignedShort();
            String clientId = connect.readUTF();
            String willTopic = null;
            byte[] willMessage = null;
            if ((flags & 0x04) != 0) {
                willTopic = connect.readUTF();
                willMessage = connect.readNBytes(connect.readUnsignedShort());
            }
            String user = (flags & 0x80) != 0 ? connect.readUTF() : null;
            String password = (flags & 0x40) != 0 ? new String(connect.readNBytes(connect.readUnsignedShort()), StandardCharsets.UTF_8) : null;
            long expiry;
            try {
                expiry = authenticate(clientId, user, password);
            } catch (SecurityException e) {
                refused.add(clientId + ": " + e.getMessage());
                device.getOutputStream().write(new byte[] {0x20, 0x02, 0x00, 0x05});
                device.getOutputStream().flush();
                return;
            }
            broker = new Socket("127.0.0.1", brokerPort);
            open.add(broker);
            // the broker knows the client by the topic path of its identity (its ACL's %u), the token stays here
            String[] ids = clientId.split("/", 2);
            String identity = ids[0] + (ids.length > 1 ? "/modules/" + ids[1] : "");
            broker.getOutputStream().write(connect(protocol, level, (flags & ~0x40) | 0x80, keepAlive, clientId, willTopic, willMessage, identity));
            accepted.add(new Connect(clientId, expiry));
            Socket b = broker;
            expiries.schedule(() -> {
                closeQuietly(device);
                closeQuietly(b);
            }, Math.max(0, expiry * 1000 - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
            Thread back = new Thread(() -> pipe(b, device), "iot-hub-front-to-device");
            back.setDaemon(true);
            back.start();
            pipe(device, broker);
        } catch (IOException e) {
            // the device or the broker went
        } finally {
            closeQuietly(device);
            if (broker != null) {
                closeQuietly(broker);
            }
        }
    }

    /** An MQTT 3.1.1 CONNECT packet. */
    private static byte[] connect(String protocol, int level, int flags, int keepAlive, String clientId, String willTopic, byte[] willMessage,
            String user) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(body);
        out.writeUTF(protocol);
        out.writeByte(level);
        out.writeByte(flags);
        out.writeShort(keepAlive);
        out.writeUTF(clientId);
        if (willTopic != null) {
            out.writeUTF(willTopic);
            out.writeShort(willMessage.length);
            out.write(willMessage);
        }
        out.writeUTF(user);
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(0x10);
        int length = body.size();
        do {
            int b = length & 0x7f;
            length >>>= 7;
            packet.write(length > 0 ? b | 0x80 : b);
        } while (length > 0);
        body.writeTo(packet);
        return packet.toByteArray();
    }

    /** The token's expiry (seconds since the epoch), or a SecurityException saying why it is refused. */
    long authenticate(String clientId, String user, String password) {
        byte[] key = keys.get(clientId);
        if (key == null) {
            throw new SecurityException("no such device or module");
        }
        if (user == null || !user.startsWith(hubHost + "/" + clientId + "/?api-version=")) {
            throw new SecurityException("user name " + user + " is not " + hubHost + "/" + clientId + "/?api-version=...");
        }
        if (password == null || !password.startsWith("SharedAccessSignature ")) {
            throw new SecurityException("no SAS token");
        }
        Map<String, String> fields = new HashMap<>();
        for (String pair : password.substring("SharedAccessSignature ".length()).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                fields.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        String sr = fields.get("sr");
        String sig = fields.get("sig");
        String se = fields.get("se");
        if (sr == null || sig == null || se == null) {
            throw new SecurityException("the SAS token needs sr, sig and se");
        }
        String[] ids = clientId.split("/", 2);
        String resource = hubHost + "/devices/" + ids[0] + (ids.length > 1 ? "/modules/" + ids[1] : "");
        if (!URLDecoder.decode(sr, StandardCharsets.UTF_8).equalsIgnoreCase(resource)) {
            throw new SecurityException("token for " + URLDecoder.decode(sr, StandardCharsets.UTF_8) + ", not " + resource);
        }
        long expiry = Long.parseLong(se);
        if (expiry <= Instant.now().getEpochSecond()) {
            throw new SecurityException("token expired at " + Instant.ofEpochSecond(expiry));
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] expected = mac.doFinal((sr + "\n" + se).getBytes(StandardCharsets.UTF_8));
            byte[] given = Base64.getDecoder().decode(URLDecoder.decode(sig, StandardCharsets.UTF_8));
            if (!MessageDigest.isEqual(expected, given)) {
                throw new SecurityException("signature does not match the key");
            }
        } catch (IllegalArgumentException e) {
            throw new SecurityException("signature is not Base64");
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return expiry;
    }

    private static void pipe(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        stop();
        expiries.shutdownNow();
    }
}
