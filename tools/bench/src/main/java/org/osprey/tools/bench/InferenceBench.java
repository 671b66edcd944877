package org.osprey.tools.bench;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import javax.imageio.ImageIO;

import org.osprey.inference.onnx.engine.EngineSettings;
import org.osprey.inference.onnx.engine.ModelLoader;
import org.osprey.inference.onnx.engine.OnnxEngine;
import org.osprey.inference.onnx.image.DecodeBuffers;
import org.osprey.inference.onnx.image.DecodeTarget;
import org.osprey.inference.onnx.image.ImageDecoders;
import org.osprey.inference.onnx.image.Pixels;
import org.osprey.inference.onnx.model.ModelDescriptor;
import org.osprey.inference.onnx.tensor.InputSpec;
import org.osprey.inference.onnx.tensor.TensorWriter;
import org.osprey.tools.packager.JarModelFiles;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;

/**
 * {@code ./osprey bench}: images per second through {@code POST /image} of a real gateway (osprey.jar,
 * started by this command), against, in this same run and on the same images and threads:
 * <ul>
 * <li>the floor: the fastest decode this process has (libjpeg-turbo, shrunk on load, for JPEG) plus
 * a bare {@code OrtSession.run} on a tensor made before the clock starts;</li>
 * <li>the plain way: ImageIO decode, Java2D resize, a per-pixel tensor copy and {@code run}.</li>
 * </ul>
 */
public final class InferenceBench {

    interface Work {
        void run(byte[] image) throws Exception;
    }

    private InferenceBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("render")) {
            RenderBench.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("cameras")) {
            CameraBench.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("outbox")) {
            OutboxBench.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        Map<String, String> o = options(args);
        Path jar = Path.of(o.getOrDefault("gateway", "runtime/target/osprey.jar"));
        Path modelJar = Path.of(o.getOrDefault("model", "runtime/target/runbundles/export/osprey/osprey-model.blazeface-0.1.0-SNAPSHOT.jar"));
        Path samples = Path.of(o.getOrDefault("samples", "samples/images"));
        int threads = Integer.parseInt(o.getOrDefault("threads", "2"));
        Duration duration = Duration.ofSeconds(Long.parseLong(o.getOrDefault("seconds", "10")));

        JarModelFiles model = JarModelFiles.read(modelJar);
        ModelDescriptor d = ModelLoader.descriptor(model, model.descriptorPath());
        InputSpec spec = d.inputSpec();
        byte[] onnx = model.read(model.descriptorPath().replace("model.json", d.file));

        Map<String, List<byte[]>> sets = new LinkedHashMap<>();
        sets.put("JPEG", List.of(read(samples.resolve("dog.jpg")), read(samples.resolve("person.jpg")),
                jpeg(read(samples.resolve("astronaut.png")))));
        sets.put("PNG", List.of(read(samples.resolve("astronaut.png")), read(samples.resolve("coffee.png"))));

        // the floor's session is opened by the engine itself, so its options are the gateway's
        try (OnnxEngine engine = new OnnxEngine(EngineSettings.DEFAULTS); Gateway gateway = Gateway.start(jar)) {
            OrtEnvironment env = engine.environment();
            ImageDecoders decoders = engine.images();
            OrtSession session = engine.open(onnx);
            {
                System.out.printf(Locale.ROOT, "Osprey inference benchmark: model %s %dx%d, %d client threads, %d s per figure, %d cores%n",
                        d.name, spec.width(), spec.height(), threads, duration.toSeconds(), Runtime.getRuntime().availableProcessors());
                System.out.println("decoder for JPEG: " + decoders.decoder(org.osprey.inference.onnx.image.ImageFormat.JPEG).name());
                String input = session.getInputNames().iterator().next();
                for (Map.Entry<String, List<byte[]>> set : sets.entrySet()) {
                    List<byte[]> images = set.getValue();
                    Map<byte[], FloatBuffer> tensors = new java.util.IdentityHashMap<>();
                    for (byte[] img : images) {
                        tensors.put(img, tensor(decoders, spec, img));
                    }
                    ThreadLocal<DecodeBuffers> buffers = ThreadLocal.withInitial(DecodeBuffers::new);
                    Work floor = img -> {
                        decoders.decode(ByteBuffer.wrap(img), (w, h) -> DecodeTarget.forInput(w, h, spec.width(), spec.height(), spec.letterbox()), buffers.get());
                        FloatBuffer t = tensors.get(img).duplicate();
                        try (OnnxTensor in = OnnxTensor.createTensor(env, t, spec.shape()); OrtSession.Result r = session.run(Map.of(input, in))) {
                            r.get(0);
                        }
                    };
                    Work imageIo = img -> {
                        BufferedImage src = ImageIO.read(new ByteArrayInputStream(img));
                        BufferedImage small = new BufferedImage(spec.width(), spec.height(), BufferedImage.TYPE_3BYTE_BGR);
                        Graphics2D g = small.createGraphics();
                        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                        g.drawImage(src, 0, 0, spec.width(), spec.height(), null);
                        g.dispose();
                        byte[] px = ((DataBufferByte) small.getRaster().getDataBuffer()).getData();
                        float[] t = new float[spec.elements()];
                        for (int i = 0; i < px.length; i += 3) {
                            t[i] = (px[i + 2] & 0xFF) / 127.5f - 1;
                            t[i + 1] = (px[i + 1] & 0xFF) / 127.5f - 1;
                            t[i + 2] = (px[i] & 0xFF) / 127.5f - 1;
                        }
                        try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(t), spec.shape());
                                OrtSession.Result r = session.run(Map.of(input, in))) {
                            r.get(0);
                        }
                    };
                    ThreadLocal<Connection> connections = ThreadLocal.withInitial(() -> {
                        try {
                            return new Connection(gateway.port);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
                    Work osprey = img -> {
                        int status = connections.get().post("/image", img);
                        if (status != 200) {
                            throw new IOException("POST /image answered " + status);
                        }
                    };

                    double f = measure(floor, images, threads, duration);
                    double p = measure(imageIo, images, threads, duration);
                    double g = measure(osprey, images, threads, duration);
                    System.out.printf(Locale.ROOT, "%-4s floor (fastest decode + bare run) %7.1f img/s | ImageIO + Java2D + run %7.1f img/s"
                            + " | Osprey POST /image %7.1f img/s = %.2fx floor, %.1fx ImageIO%n", set.getKey(), f, p, g, g / f, g / p);
                }
            }
            engine.close(session);
        }
    }

    /** Images per second over {@code duration}, after a warm-up as long (the JIT has a gateway to compile), with {@code threads} threads. */
    static double measure(Work work, List<byte[]> images, int threads, Duration duration) throws InterruptedException {
        run(work, images, threads, duration);
        return run(work, images, threads, duration) / (duration.toNanos() / 1e9);
    }

    private static long run(Work work, List<byte[]> images, int threads, Duration duration) throws InterruptedException {
        AtomicLong done = new AtomicLong();
        List<Throwable> errors = new ArrayList<>();
        long end = System.nanoTime() + duration.toNanos();
        CountDownLatch latch = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            int offset = t;
            Thread th = new Thread(() -> {
                try {
                    for (int i = offset; System.nanoTime() < end; i++) {
                        work.run(images.get(i % images.size()));
                        done.incrementAndGet();
                    }
                } catch (Throwable e) {
                    synchronized (errors) {
                        errors.add(e);
                    }
                } finally {
                    latch.countDown();
                }
            });
            th.start();
        }
        latch.await();
        if (!errors.isEmpty()) {
            throw new IllegalStateException("benchmark work failed", errors.get(0));
        }
        return done.get();
    }

    private static FloatBuffer tensor(ImageDecoders decoders, InputSpec spec, byte[] img) throws Exception {
        Pixels px = decoders.decode(ByteBuffer.wrap(img), (w, h) -> DecodeTarget.forInput(w, h, spec.width(), spec.height(), spec.letterbox()),
                new DecodeBuffers());
        FloatBuffer t = ByteBuffer.allocateDirect(spec.elements() * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        new TensorWriter().write(px, spec, t);
        return t;
    }

    private static byte[] jpeg(byte[] png) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(ImageIO.read(new ByteArrayInputStream(png)), "jpg", out);
        return out.toByteArray();
    }

    private static byte[] read(Path p) throws IOException {
        return Files.readAllBytes(p);
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return o;
    }

    /**
     * A minimal HTTP/1.1 keep-alive client, one connection per thread, as load generators (wrk) use: the
     * client's own cost stays small next to the server's on the same cores.
     */
    public static final class Connection implements AutoCloseable {
        private final java.net.Socket socket;
        private final java.io.BufferedInputStream in;
        private final java.io.OutputStream out;
        private final String host;

        public Connection(int port) throws IOException {
            socket = new java.net.Socket("localhost", port);
            socket.setTcpNoDelay(true);
            in = new java.io.BufferedInputStream(socket.getInputStream(), 65536);
            out = new java.io.BufferedOutputStream(socket.getOutputStream(), 65536);
            host = "localhost:" + port;
        }

        /** POSTs the body and returns the status; the response body is read and dropped. */
        public int post(String path, byte[] body) throws IOException {
            out.write(("POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                    + body.length + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            String status = line();
            int code = Integer.parseInt(status.split(" ")[1]);
            long length = -1;
            boolean chunked = false;
            for (String h; !(h = line()).isEmpty();) {
                String lower = h.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(h.substring(15).strip());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            if (chunked) {
                for (long n; (n = Long.parseLong(line().strip(), 16)) > 0;) {
                    skip(n);
                    line();
                }
                line();
            } else {
                skip(length);
            }
            return code;
        }

        private void skip(long n) throws IOException {
            while (n > 0) {
                long k = in.skip(n);
                if (k <= 0) {
                    if (in.read() < 0) {
                        throw new IOException("connection closed");
                    }
                    k = 1;
                }
                n -= k;
            }
        }

        private String line() throws IOException {
            StringBuilder sb = new StringBuilder();
            for (int c; (c = in.read()) != '\n';) {
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                if (c != '\r') {
                    sb.append((char) c);
                }
            }
            return sb.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** osprey.jar in a child JVM, on a free port, with a throw-away data folder. */
    static final class Gateway implements AutoCloseable {
        private final Process process;
        private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        private final URI image;
        private final String password;
        final int port;

        private Gateway(Process process, int port, String password) {
            this.process = process;
            this.port = port;
            this.password = password;
            this.image = URI.create("http://localhost:" + port + "/image");
        }

        static Gateway start(Path jar) throws IOException, InterruptedException {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path work = Files.createTempDirectory("osprey-bench");
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                    jar.toAbsolutePath().toString()).directory(work.toFile()).redirectErrorStream(true)
                    .redirectOutput(work.resolve("gateway.log").toFile());
            pb.environment().put("OSPREY_HTTP_PORT", Integer.toString(port));
            pb.environment().put("OSPREY_HTTPS_PORT", "off"); // the benchmark asks the inference routes over plain HTTP
            String password = Long.toHexString(new java.security.SecureRandom().nextLong()) + "x";
            pb.environment().put("OSPREY_ADMIN_PASSWORD", password);
            pb.environment().put("OSPREY_LOG_LEVEL", "warn");
            Gateway g = new Gateway(pb.start(), port, password);
            long deadline = System.currentTimeMillis() + 60_000;
            byte[] probe = jpeg(blank());
            while (System.currentTimeMillis() < deadline) {
                try {
                    if (g.status(probe) == 200) {
                        return g;
                    }
                } catch (IOException e) {
                    // not up yet
                }
                Thread.sleep(200);
            }
            g.close();
            throw new IOException("the gateway did not serve /image within 60 s; see " + work.resolve("gateway.log"));
        }

        private static byte[] blank() throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(new BufferedImage(64, 64, BufferedImage.TYPE_3BYTE_BGR), "png", out);
            return out.toByteArray();
        }

        int status(byte[] img) throws IOException, InterruptedException {
            HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(image).POST(HttpRequest.BodyPublishers.ofByteArray(img)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                in.readAllBytes();
            }
            return r.statusCode();
        }

        /** An admin route's answer (JSON), or an exception saying the status and body. */
        String admin(String method, String path, String json) throws IOException, InterruptedException {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(("admin:" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            b = json == null ? b.GET() : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IOException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
            }
            return r.body();
        }

        /** CPU time the gateway's JVM has used so far, all its threads. */
        Duration cpu() {
            return process.info().totalCpuDuration().orElseThrow(() -> new IllegalStateException("this OS does not say a process's CPU time"));
        }

        @Override
        public void close() {
            process.destroy();
        }
    }
}
