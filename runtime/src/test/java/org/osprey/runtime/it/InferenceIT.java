package org.osprey.runtime.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.Before;
import org.junit.Test;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** The REST inference routes on the real gateway, with the shipped BlazeFace bundle and real photos. */
public class InferenceIT extends OspreyTestSupport {

    @Before
    public void modelLoaded() throws Exception {
        awaitActive("blazeface", "1.2.0");
    }

    @Test
    public void imageFindsTheAstronautsFace() throws Exception {
        HttpAnswer a = post("/image", "application/octet-stream", sample("astronaut.png"), null);
        assertEquals(a.body, 200, a.status);
        JsonObject body = JsonParser.parseString(a.body).getAsJsonObject();
        assertEquals("blazeface", body.get("project").getAsString());
        assertEquals("1.2.0", body.get("iteration").getAsString());
        JsonArray predictions = body.getAsJsonArray("predictions");
        assertEquals(a.body, 1, predictions.size());
        JsonObject face = predictions.get(0).getAsJsonObject();
        assertEquals("face", face.get("tagName").getAsString());
        assertTrue(a.body, face.get("probability").getAsDouble() >= 0.8);
        JsonObject box = face.getAsJsonObject("boundingBox");
        // hand-labelled face: pixels 180,80 - 272,180 of 512
        assertEquals(180 / 512.0, box.get("left").getAsDouble(), 0.03);
        assertEquals(80 / 512.0, box.get("top").getAsDouble(), 0.03);
        assertEquals(92 / 512.0, box.get("width").getAsDouble(), 0.03);
        assertEquals(100 / 512.0, box.get("height").getAsDouble(), 0.03);
    }

    /** The same photo as a BMP (24-bit, bottom-up rows as Windows writes them): the same face at the same place. */
    @Test
    public void bmpImagesAreDecoded() throws Exception {
        java.io.ByteArrayOutputStream bmp = new java.io.ByteArrayOutputStream();
        java.awt.image.BufferedImage photo = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(sample("astronaut.png")));
        java.awt.image.BufferedImage rgb = new java.awt.image.BufferedImage(photo.getWidth(), photo.getHeight(), java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
        rgb.getGraphics().drawImage(photo, 0, 0, null);
        assertTrue(javax.imageio.ImageIO.write(rgb, "bmp", bmp));
        HttpAnswer a = post("/image", "image/bmp", bmp.toByteArray(), null);
        assertEquals(a.body, 200, a.status);
        JsonArray predictions = json(a).getAsJsonArray("predictions");
        assertEquals(a.body, 1, predictions.size());
        JsonObject box = predictions.get(0).getAsJsonObject().getAsJsonObject("boundingBox");
        assertEquals(180 / 512.0, box.get("left").getAsDouble(), 0.03);
        assertEquals(80 / 512.0, box.get("top").getAsDouble(), 0.03);
    }

    @Test
    public void imageAsMultipartFieldImageData() throws Exception {
        HttpAnswer a = postForm("/image", Map.of("imageData", sample("astronaut.png")), null);
        assertEquals(a.body, 200, a.status);
        assertEquals(1, JsonParser.parseString(a.body).getAsJsonObject().getAsJsonArray("predictions").size());
    }

    /** curl --data-binary declares an image as a form; the image must not be read as form fields. */
    @Test
    public void imageSentAsCurlDoesWithAModelParameter() throws Exception {
        HttpAnswer a = post("/image?model=blazeface", "application/x-www-form-urlencoded", sample("astronaut.png"), null);
        assertEquals(a.body, 200, a.status);
        assertEquals(1, json(a).getAsJsonArray("predictions").size());
    }

    @Test
    public void coffeeHasNoFace() throws Exception {
        HttpAnswer a = post("/image", "image/png", sample("coffee.png"), null);
        assertEquals(200, a.status);
        assertEquals(0, JsonParser.parseString(a.body).getAsJsonObject().getAsJsonArray("predictions").size());
    }

    @Test
    public void deepStackDetectionAnswersInPixels() throws Exception {
        HttpAnswer a = postForm("/v1/vision/detection", Map.of("image", sample("astronaut.png"), "min_confidence", "0.5"), null);
        assertEquals(a.body, 200, a.status);
        JsonObject body = JsonParser.parseString(a.body).getAsJsonObject();
        assertTrue(body.get("success").getAsBoolean());
        JsonObject face = body.getAsJsonArray("predictions").get(0).getAsJsonObject();
        assertEquals("face", face.get("label").getAsString());
        assertEquals(180, face.get("x_min").getAsInt(), 15);
        assertEquals(80, face.get("y_min").getAsInt(), 15);
        assertEquals(272, face.get("x_max").getAsInt(), 15);
        assertEquals(180, face.get("y_max").getAsInt(), 15);

        HttpAnswer strict = postForm("/v1/vision/detection", Map.of("image", sample("astronaut.png"), "min_confidence", "0.99"), null);
        assertEquals(0, JsonParser.parseString(strict.body).getAsJsonObject().getAsJsonArray("predictions").size());
    }

    @Test
    public void jpegPhotosAreDecoded() throws Exception {
        HttpAnswer a = post("/image", "image/jpeg", sample("dog.jpg"), null);
        assertEquals(a.body, 200, a.status);
        assertEquals("a dog has no human face", 0, JsonParser.parseString(a.body).getAsJsonObject().getAsJsonArray("predictions").size());
    }

    @Test
    public void badInputGetsAClearJsonError() throws Exception {
        HttpAnswer notImage = post("/image", "application/octet-stream", "hello".getBytes(), null);
        assertEquals(400, notImage.status);
        assertEquals("bad_image", json(notImage).get("code").getAsString());
        assertServerTiming(notImage);

        byte[] corrupt = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 'g', 'a', 'r', 'b', 'a', 'g', 'e'};
        HttpAnswer badJpeg = post("/image", "image/jpeg", corrupt, null);
        assertEquals(badJpeg.body, 400, badJpeg.status);
        assertTrue(badJpeg.body, json(badJpeg).get("error").getAsString().contains("JPEG"));

        byte[] png = sample("coffee.png");
        byte[] truncatedPng = java.util.Arrays.copyOf(png, 2000);
        HttpAnswer badPng = post("/image", "image/png", truncatedPng, null);
        assertEquals(badPng.body, 400, badPng.status);

        HttpAnswer noModel = post("/image?model=nope", "image/png", png, null);
        assertEquals(503, noModel.status);
        assertTrue(noModel.body, json(noModel).get("error").getAsString().contains("nope"));
        assertServerTiming(noModel);

        HttpAnswer tooLarge = post("/image", "application/octet-stream", new byte[9 * 1024 * 1024], null);
        assertEquals(413, tooLarge.status);
        assertServerTiming(tooLarge);

        HttpAnswer badUrl = post("/url", "application/json", "{\"url\": \"file:///etc/passwd\"}".getBytes(), null);
        assertEquals(400, badUrl.status);
        assertEquals("bad_url", json(badUrl).get("code").getAsString());

        HttpAnswer noField = postForm("/v1/vision/detection", Map.of("picture", sample("astronaut.png")), null);
        assertEquals(noField.body, 400, noField.status);
        assertEquals("no_image", json(noField).get("code").getAsString());
        HttpAnswer empty = post("/image", "application/octet-stream", new byte[0], null);
        assertEquals(empty.body, 400, empty.status);
        assertEquals("no_image", json(empty).get("code").getAsString());

        HttpAnswer badScore = postForm("/v1/vision/detection", Map.of("image", sample("astronaut.png"), "min_confidence", "most"), null);
        assertEquals(badScore.body, 400, badScore.status);
        assertTrue(badScore.body, json(badScore).get("error").getAsString().contains("min_confidence"));

        // /url turned off by its configuration: 403 url_disabled; turned back on, it answers again
        org.osgi.service.cm.ConfigurationAdmin admin = context.getService(context.getServiceReference(org.osgi.service.cm.ConfigurationAdmin.class));
        org.osgi.service.cm.Configuration inference = admin.getConfiguration("org.osprey.http.inference", "?");
        java.util.Dictionary<String, Object> original = inference.getProperties();
        try {
            java.util.Hashtable<String, Object> off = new java.util.Hashtable<>();
            off.put("urlFetchEnabled", false);
            inference.update(off);
            HttpAnswer disabled = null;
            long deadline = System.currentTimeMillis() + 20_000;
            while (System.currentTimeMillis() < deadline) {
                disabled = post("/url", "application/json", "{\"url\": \"https://example.com/a.jpg\"}".getBytes(), null);
                if (disabled.status == 403) {
                    break;
                }
                Thread.sleep(100); // polled until the component has its new configuration, with a deadline
            }
            assertEquals(disabled.body, 403, disabled.status);
            assertEquals("url_disabled", json(disabled).get("code").getAsString());
        } finally {
            if (original == null) {
                inference.delete();
            } else {
                inference.update(original);
            }
            // the routes come back with the configuration as it was
            long deadline = System.currentTimeMillis() + 20_000;
            while (post("/image", "image/png", sample("astronaut.png"), null).status != 200 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100); // polled, with a deadline
            }
        }

        // the gateway still serves after all that, JPEGs included (a failed decode must not poison the decoder)
        HttpAnswer served = post("/image", "image/png", sample("astronaut.png"), null);
        assertEquals(200, served.status);
        assertTrue(served.headers.toString(), served.headers.get("Server-Timing").get(0)
                .matches("pre;dur=[0-9.]+, infer;dur=[0-9.]+, post;dur=[0-9.]+, total;dur=[0-9.]+"));
        for (int i = 0; i < 3; i++) {
            assertEquals(200, post("/image", "image/jpeg", sample("dog.jpg"), null).status);
        }
    }

    /** Error answers say their time too, as every answer of the inference routes does. */
    private static void assertServerTiming(HttpAnswer a) {
        List<String> timing = a.headers.get("Server-Timing");
        assertTrue("Server-Timing on a " + a.status + ": " + a.headers, timing != null && timing.get(0).matches("total;dur=[0-9.]+"));
    }

    /** A real JPEG whose frame header declares {@code width x height}: a few kilobytes that claim gigapixels. */
    private static byte[] jpegDeclaring(int width, int height) throws Exception {
        byte[] b = sample("dog.jpg");
        for (int i = 2; ; ) {
            int marker = b[i + 1] & 0xFF;
            int length = ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
            if (marker == 0xC0 || marker == 0xC2) {
                b[i + 5] = (byte) (height >> 8);
                b[i + 6] = (byte) height;
                b[i + 7] = (byte) (width >> 8);
                b[i + 8] = (byte) width;
                return b;
            }
            i += 2 + length;
        }
    }

    @Test
    public void hostileImagesAndParametersGetA400NotAnError() throws Exception {
        for (int i = 0; i < 4; i++) {
            HttpAnswer bomb = post("/image", "image/jpeg", jpegDeclaring(65500, 65500), null);
            assertEquals(bomb.body, 400, bomb.status);
            assertEquals("image_too_large", json(bomb).get("code").getAsString());
        }
        HttpAnswer nan = postForm("/v1/vision/detection", Map.of("image", sample("astronaut.png"), "min_confidence", "NaN"), null);
        assertEquals(nan.body, 400, nan.status);
        assertTrue(nan.body, json(nan).get("error").getAsString().contains("min_confidence"));
        HttpAnswer above = postForm("/v1/vision/detection", Map.of("image", sample("astronaut.png"), "min_confidence", "1.5"), null);
        assertEquals(400, above.status);
        HttpAnswer badQuery = post("/image?model=%ZZ", "image/png", sample("coffee.png"), null);
        assertEquals(badQuery.body, 400, badQuery.status);
        assertEquals("bad_request", json(badQuery).get("code").getAsString());
        assertEquals(200, post("/image", "image/jpeg", sample("dog.jpg"), null).status);
    }

    /** A raw HTTP/1.1 exchange, for requests no client library would send; the whole answer as text. */
    private static String raw(String request) throws Exception {
        try (java.net.Socket s = new java.net.Socket("localhost", Integer.parseInt(System.getProperty(PORT_PROPERTY)))) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            s.shutdownOutput();
            return new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    public void errorsTheContainerMakesAreJsonToo() throws Exception {
        HttpAnswer get = get("/image", null);
        assertEquals(405, get.status);
        assertEquals("method_not_allowed", json(get).get("code").getAsString());
        HttpAnswer missing = get("/api/v1/nothing-here", ADMIN_PASSWORD);
        assertEquals(404, missing.status);
        assertEquals("not_found", json(missing).get("code").getAsString());

        // broken chunked framing: a chunk longer than what follows, then the end of the stream
        String broken = raw("POST /image HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/jpeg\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n1000\r\n\u00ff\u00d8\u00ffpartial");
        assertTrue(broken, broken.startsWith("HTTP/1.1 400"));
        assertTrue(broken, broken.contains("\"success\":false"));
        // what Jetty refuses before any servlet sees it (bundle org.osprey.http.jetty); the gateway goes on
        String huge = raw("GET /health HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(20_000) + "\r\nConnection: close\r\n\r\n");
        assertTrue(huge, huge.startsWith("HTTP/1.1 431"));
        assertTrue(huge, huge.contains("\"code\":\"headers_too_large\""));
        String version = raw("GET /health HTTP/3.7\r\nHost: localhost\r\n\r\n");
        assertTrue(version, version.startsWith("HTTP/1.1 505"));
        assertTrue(version, version.contains("\"code\":\"http_version_not_supported\""));
        String twoLengths = raw("POST /image HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\nContent-Length: 9\r\n\r\nabc");
        assertTrue(twoLengths, twoLengths.startsWith("HTTP/1.1 400"));
        assertTrue(twoLengths, twoLengths.contains("\"success\":false"));
        assertTrue(twoLengths, twoLengths.toLowerCase().contains("content-type: application/json"));
        // multipart without a boundary
        HttpAnswer noBoundary = post("/v1/vision/detection", "multipart/form-data", "--x\r\n\r\n".getBytes(), null);
        assertEquals(noBoundary.body, 400, noBoundary.status);
        assertEquals("bad_request", json(noBoundary).get("code").getAsString());
        assertEquals(200, post("/image", "image/jpeg", sample("dog.jpg"), null).status);
    }

    /**
     * Changes (or with null, deletes) the inference API's configuration and waits until the servlet made with
     * it serves: a configuration change re-registers the servlet, and /image is 404 for that moment.
     */
    private void configureInferenceApi(org.osgi.service.cm.Configuration api, java.util.Hashtable<String, Object> properties) throws Exception {
        String wanted;
        if (properties == null) {
            api.delete();
            wanted = "(&(osgi.http.whiteboard.servlet.name=osprey-inference)(!(service.pid=*)))";
        } else {
            api.update(properties);
            wanted = "(&(osgi.http.whiteboard.servlet.name=osprey-inference)(service.pid=org.osprey.http.inference))";
        }
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            org.osgi.framework.ServiceReference<?>[] refs = context.getServiceReferences(jakarta.servlet.Servlet.class.getName(), wanted);
            if (refs != null && (properties == null || properties.entrySet().stream().allMatch(e -> java.util.Objects.deepEquals(
                    refs[0].getProperty(e.getKey()), e.getValue()))) && post("/image", "image/jpeg", sample("dog.jpg"), null).status == 200) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the inference servlet did not come back with " + properties);
    }

    /** Opens a connection that sends the headers of an upload and then one byte; the caller drips the rest. */
    private static java.net.Socket dripper(int length) throws Exception {
        java.net.Socket s = new java.net.Socket("localhost", Integer.parseInt(System.getProperty(PORT_PROPERTY)));
        s.getOutputStream().write(("POST /image HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/jpeg\r\nContent-Length: " + length
                + "\r\n\r\n\u00ff").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        return s;
    }

    /** Opens a connection that sends a request line and the start of a header; the caller drips the header. */
    private static java.net.Socket headerDripper() throws Exception {
        java.net.Socket s = new java.net.Socket("localhost", Integer.parseInt(System.getProperty(PORT_PROPERTY)));
        s.getOutputStream().write("POST /image HTTP/1.1\r\nHost: localhost\r\nX-Slow: ".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        return s;
    }

    @Test
    public void clientsThatDripCannotStarveTheServer() throws Exception {
        org.osgi.service.cm.ConfigurationAdmin admin = context.getService(context.getServiceReference(org.osgi.service.cm.ConfigurationAdmin.class));
        org.osgi.service.cm.Configuration api = admin.getConfiguration("org.osprey.http.inference", "?");
        org.osgi.service.cm.Configuration connections = admin.getConfiguration("org.osprey.http.connections", "?");
        java.util.List<java.net.Socket> drippers = new java.util.ArrayList<>();
        java.util.concurrent.ScheduledExecutorService drip = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        try {
            java.util.Hashtable<String, Object> shortTimeout = new java.util.Hashtable<>();
            shortTimeout.put("bodyTimeoutSeconds", 5);
            configureInferenceApi(api, shortTimeout);
            java.util.Hashtable<String, Object> shortHeaders = new java.util.Hashtable<>();
            shortHeaders.put("requestHeaderTimeoutSeconds", 5);
            connections.update(shortHeaders);
            // more drippers than the server has threads (200), each sending a byte a second: of a body, or of a header
            for (int i = 0; i < 250; i++) {
                drippers.add(dripper(100_000));
            }
            for (int i = 0; i < 250; i++) {
                drippers.add(headerDripper());
            }
            drip.scheduleAtFixedRate(() -> drippers.forEach(d -> {
                try {
                    d.getOutputStream().write('x');
                    d.getOutputStream().flush();
                } catch (java.io.IOException e) {
                    // cut off by the server: what should happen
                }
            }), 1, 1, java.util.concurrent.TimeUnit.SECONDS);
            long start = System.nanoTime();
            HttpAnswer normal = post("/image", "image/jpeg", sample("dog.jpg"), null);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(normal.body, 200, normal.status);
            assertTrue("a normal request beside 500 drippers is answered in under 2 s, took " + millis + " ms", millis < 2_000);

            // a dripper is answered 408 (JSON) once its body's time is up, and the connection closed
            java.net.Socket first = drippers.get(0);
            first.setSoTimeout(15_000);
            String answer = new String(first.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
            assertTrue(answer, answer.startsWith("HTTP/1.1 408"));
            assertTrue(answer, answer.contains("\"code\":\"timeout\""));

            // a header dripper's connection is closed once its header's time is up (every byte would restart an idle timeout)
            java.net.Socket headerDripper = drippers.get(250);
            headerDripper.setSoTimeout(15_000);
            try {
                assertEquals(-1, headerDripper.getInputStream().read());
            } catch (java.net.SocketException reset) {
                // closed while the dripper was writing: closed all the same
            }
        } finally {
            drip.shutdownNow();
            connections.delete();
            for (java.net.Socket d : drippers) {
                d.close();
            }
            configureInferenceApi(api, null);
        }
    }

    @Test
    public void aChunkedUploadStopsAtTheLimitWhileItIsSent() throws Exception {
        java.net.HttpURLConnection c = (java.net.HttpURLConnection) new java.net.URL("http://localhost:" + System.getProperty(PORT_PROPERTY)
                + "/v1/vision/detection").openConnection();
        c.setDoOutput(true);
        c.setRequestMethod("POST");
        c.setChunkedStreamingMode(64 * 1024);
        c.setRequestProperty("Content-Type", "multipart/form-data; boundary=xyz");
        long sent = 0;
        try (java.io.OutputStream out = c.getOutputStream()) {
            out.write("--xyz\r\nContent-Disposition: form-data; name=\"image\"; filename=\"big.jpg\"\r\n\r\n".getBytes());
            byte[] block = new byte[64 * 1024];
            while (sent < 50L * 1024 * 1024) {
                out.write(block);
                sent += block.length;
            }
        } catch (java.io.IOException e) {
            // the server answered and closed before the 50 MB were sent
        }
        assertEquals(413, c.getResponseCode());
        String body = new String(c.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(body, body.contains("\"code\":\"too_large\""));
        assertTrue("stopped while sending: " + sent + " bytes went out", sent < 50L * 1024 * 1024);
    }

    /** Heap and direct memory in use once the collector has run. */
    private static long memoryAfterGc() throws InterruptedException {
        java.lang.management.BufferPoolMXBean direct = java.lang.management.ManagementFactory.getPlatformMXBeans(
                java.lang.management.BufferPoolMXBean.class).stream().filter(p -> p.getName().equals("direct")).findFirst().orElseThrow();
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) { // the lowest of a few collections: the cleaner frees direct memory after each
            System.gc();
            Thread.sleep(100);
            least = Math.min(least, java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() + direct.getMemoryUsed());
        }
        return least;
    }

    /** A valid grey PNG of w x h pixels, all black: small to send, w x h bytes once decoded. */
    private static byte[] blackPng(int w, int h) throws java.io.IOException {
        java.io.ByteArrayOutputStream idat = new java.io.ByteArrayOutputStream();
        try (java.util.zip.DeflaterOutputStream z = new java.util.zip.DeflaterOutputStream(idat, new java.util.zip.Deflater(9))) {
            byte[] row = new byte[w + 1]; // filter byte 0, then the row
            for (int y = 0; y < h; y++) {
                z.write(row);
            }
        }
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
        pngChunk(png, "IHDR", ihdr.array());
        pngChunk(png, "IDAT", idat.toByteArray());
        pngChunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void pngChunk(java.io.ByteArrayOutputStream out, String type, byte[] data) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        crc.update(t);
        crc.update(data);
        out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** A valid JPEG of w x h pixels, a smooth gradient: a few hundred KB for tens of megapixels. */
    private static byte[] gradientJpeg(int w, int h) throws java.io.IOException {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
        byte[] data = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                data[i] = (byte) (x * 255 / w);
                data[i + 1] = (byte) (y * 255 / h);
                data[i + 2] = (byte) 128;
            }
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "jpeg", out);
        return out.toByteArray();
    }

    /**
     * Valid images just under the limits (39 and 35 megapixels), four clients at once, three rounds:
     * all answered 200, and then heap and direct memory are back within the bound the README states
     * (what the decode workspaces keep for reuse, 2 per core of 5 MB each, and 32 MB for the collector's noise).
     */
    @Test
    public void aBurstOfLargeValidImagesGivesItsMemoryBack() throws Exception {
        byte[] png = blackPng(7000, 5600);
        byte[] jpeg = gradientJpeg(7000, 5000);
        long before = memoryAfterGc();
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<HttpAnswer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 12; i++) {
                byte[] image = i % 2 == 0 ? png : jpeg;
                answers.add(clients.submit(() -> post("/image", "application/octet-stream", image, null)));
            }
            for (java.util.concurrent.Future<HttpAnswer> a : answers) {
                HttpAnswer answer = a.get(60, java.util.concurrent.TimeUnit.SECONDS);
                assertEquals(answer.body, 200, answer.status);
            }
        } finally {
            clients.shutdownNow();
        }
        long after = memoryAfterGc();
        long bound = 2L * Runtime.getRuntime().availableProcessors() * 5 * 1024 * 1024 + 32L * 1024 * 1024;
        System.out.println("InferenceIT: 12 images of 35-39 megapixels, heap and direct memory " + before / 1_000_000 + " MB before, "
                + after / 1_000_000 + " MB after (bound " + bound / 1_000_000 + " MB more)");
        assertTrue("memory comes back: " + before + " before, " + after + " after", after < before + bound);
    }

    /** Sends raw bytes on a new connection, closes its output, and reads the whole answer. */
    private static String rawExchange(byte[] request) throws java.io.IOException {
        try (java.net.Socket s = new java.net.Socket("localhost", Integer.parseInt(System.getProperty(PORT_PROPERTY)))) {
            s.setSoTimeout(10_000);
            try {
                s.getOutputStream().write(request);
                s.shutdownOutput();
            } catch (java.io.IOException refusedWhileSending) {
                // the server may answer and close before it has read everything
            }
            return new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * Two thousand mutations (fixed seed) of a well-formed DeepStack request, in its request line, headers
     * and multipart body: every answer is JSON (but the console's 401 and /'s redirect), none is a 5xx but
     * 501 (an unknown method) and 505 (an unknown version), none takes 2 s. Found an empty 400 for broken
     * requests with unknown methods.
     */
    @Test
    public void thousandsOfMutatedRequestsAreAnsweredInJson() throws Exception {
        byte[] image = sample("dog.jpg");
        java.io.ByteArrayOutputStream form = new java.io.ByteArrayOutputStream();
        form.writeBytes(("--xyz\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        form.writeBytes(image);
        form.writeBytes("\r\n--xyz\r\nContent-Disposition: form-data; name=\"min_confidence\"\r\n\r\n0.5\r\n--xyz--\r\n"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        byte[] body = form.toByteArray();
        String[] paths = {"/v1/vision/detection", "/image", "/url", "/image?model=blazeface", "/api/v1/models", "/health"};
        byte[] special = "\r\n:;=\" -0\u0000\u00ff".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        java.util.Random random = new java.util.Random(20261128);
        java.util.Map<String, Integer> statuses = new java.util.TreeMap<>();
        for (int i = 0; i < 2000; i++) {
            byte[] head = ("POST " + paths[random.nextInt(paths.length)] + " HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=xyz\r\n"
                    + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            boolean inHead = random.nextInt(3) < 1;
            java.io.ByteArrayOutputStream mutated = new java.io.ByteArrayOutputStream();
            byte[] target = (inHead ? head : body).clone();
            java.util.List<Byte> bytes = new java.util.ArrayList<>();
            for (byte b : target) {
                bytes.add(b);
            }
            for (int k = 0; k < 1 + random.nextInt(8) && !bytes.isEmpty(); k++) {
                int at = random.nextInt(bytes.size());
                switch (random.nextInt(4)) {
                    case 0 -> bytes.set(at, (byte) (bytes.get(at) ^ (1 << random.nextInt(8))));
                    case 1 -> bytes.subList(at, Math.min(bytes.size(), at + 1 + random.nextInt(20))).clear();
                    case 2 -> {
                        for (int n = 0; n < 1 + random.nextInt(10); n++) {
                            bytes.add(at, (byte) random.nextInt(256));
                        }
                    }
                    default -> bytes.set(at, special[random.nextInt(special.length)]);
                }
            }
            byte[] changed = new byte[bytes.size()];
            for (int k = 0; k < changed.length; k++) {
                changed[k] = bytes.get(k);
            }
            mutated.writeBytes(inHead ? changed : head);
            mutated.writeBytes(inHead ? body : changed);

            long start = System.nanoTime();
            String answer = rawExchange(mutated.toByteArray());
            long millis = (System.nanoTime() - start) / 1_000_000;
            String request = new String(mutated.toByteArray(), 0, Math.min(300, mutated.size()), java.nio.charset.StandardCharsets.ISO_8859_1);
            assertTrue("mutation " + i + " answered in " + millis + " ms: " + request, millis < 2_000);
            if (answer.isEmpty()) {
                statuses.merge("closed", 1, Integer::sum); // a request so broken the connection is closed: nothing to answer
                continue;
            }
            assertTrue(answer, answer.startsWith("HTTP/1.1 "));
            String status = answer.substring(9, 12);
            statuses.merge(status, 1, Integer::sum);
            assertTrue("mutation " + i + " got " + status + ": " + request, !status.startsWith("5") || status.equals("501") || status.equals("505"));
            if (!status.equals("200") && !status.equals("401") && !status.equals("302")) {
                String headers = answer.substring(0, Math.max(0, answer.indexOf("\r\n\r\n"))).toLowerCase(java.util.Locale.ROOT);
                assertTrue("mutation " + i + " got a " + status + " that is not JSON: " + request + "\n" + answer,
                        headers.contains("content-type: application/json"));
                // the first answer's body (a mutated length can make the rest of the bytes a second request, with its own answer)
                java.util.regex.Matcher length = java.util.regex.Pattern.compile("content-length: (\\d+)").matcher(headers);
                if (length.find()) {
                    int from = answer.indexOf("\r\n\r\n") + 4;
                    JsonObject error = JsonParser.parseString(answer.substring(from, from + Integer.parseInt(length.group(1)))).getAsJsonObject();
                    assertTrue(answer, error.has("code") && error.has("error"));
                }
            }
        }
        System.out.println("InferenceIT: 2000 mutated requests answered " + statuses);
        assertEquals(200, get("/health", null).status);
    }

    /**
     * Three thousand mutations (fixed seed) of real photos, posted as a hostile client would: bits flipped,
     * bytes cut, header fields rewritten, sizes made huge. Every answer is 200, 400 or 413 in JSON, none
     * takes 2 s, the gateway stays up, and its memory comes back.
     */
    @Test
    public void thousandsOfMutatedImagesGetAnAnswerAndLeaveNothingBehind() throws Exception {
        byte[][] originals = {sample("dog.jpg"), sample("coffee.png"), sample("camera.png")};
        long before = memoryAfterGc();
        java.util.Random random = new java.util.Random(20261127);
        java.util.Map<Integer, Integer> statuses = new java.util.TreeMap<>();
        long slowest = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] m = originals[i % originals.length].clone();
            switch (random.nextInt(4)) {
                case 0 -> { // flip bits
                    for (int k = 0; k < 1 + random.nextInt(20); k++) {
                        int at = random.nextInt(m.length);
                        m[at] ^= (byte) (1 << random.nextInt(8));
                    }
                }
                case 1 -> m = java.util.Arrays.copyOf(m, random.nextInt(m.length)); // cut
                case 2 -> { // rewrite bytes of the header, where sizes and markers are
                    for (int k = 0; k < 1 + random.nextInt(4); k++) {
                        m[random.nextInt(Math.min(m.length, 64))] = (byte) random.nextInt(256);
                    }
                }
                default -> { // a run of 0xFF (huge sizes) in the first kilobyte
                    int at = random.nextInt(Math.min(m.length, 1024));
                    java.util.Arrays.fill(m, at, Math.min(m.length, at + 2 + random.nextInt(6)), (byte) 0xFF);
                }
            }
            long start = System.nanoTime();
            HttpAnswer a = post("/image", "application/octet-stream", m, null);
            long millis = (System.nanoTime() - start) / 1_000_000;
            slowest = Math.max(slowest, millis);
            statuses.merge(a.status, 1, Integer::sum);
            assertTrue("mutation " + i + ": " + a.status + " " + a.body, a.status == 200 || a.status == 400 || a.status == 413);
            assertTrue("mutation " + i + " answered in " + millis + " ms", millis < 2_000);
            json(a); // JSON, always
        }
        assertEquals(200, get("/health", null).status);
        long after = memoryAfterGc();
        System.out.println("InferenceIT: 3000 mutations answered " + statuses + ", slowest " + slowest + " ms; heap and direct memory "
                + before / 1_000_000 + " MB before, " + after / 1_000_000 + " MB after");
        assertTrue("memory comes back: " + before + " before, " + after + " after", after < before + 64L * 1024 * 1024);
    }

    @Test
    public void urlFetchesTheImage() throws Exception {
        // a camera's snapshot URL, played by a servlet this test registers on the gateway itself
        byte[] png = sample("astronaut.png");
        java.util.Hashtable<String, Object> props = new java.util.Hashtable<>();
        props.put("osgi.http.whiteboard.servlet.pattern", "/it/snapshot.png");
        var registration = context.registerService(jakarta.servlet.Servlet.class, new jakarta.servlet.http.HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(jakarta.servlet.http.HttpServletRequest req, jakarta.servlet.http.HttpServletResponse resp)
                    throws java.io.IOException {
                resp.setContentType("image/png");
                resp.getOutputStream().write(png);
            }
        }, props);
        org.osgi.service.cm.ConfigurationAdmin admin = context.getService(context.getServiceReference(org.osgi.service.cm.ConfigurationAdmin.class));
        org.osgi.service.cm.Configuration api = admin.getConfiguration("org.osprey.http.inference", "?");
        try {
            awaitStatus("/it/snapshot.png", null, 200, 10_000);
            String base = "http://localhost:" + System.getProperty(PORT_PROPERTY);
            byte[] request = ("{\"url\": \"" + base + "/it/snapshot.png\"}").getBytes();
            // the gateway's own (loopback) address is not fetched from by default, and the answer says nothing more
            HttpAnswer refused = post("/url", "application/json", request, null);
            assertEquals(refused.body, 400, refused.status);
            assertEquals("bad_url", json(refused).get("code").getAsString());
            assertEquals("could not fetch an image from the URL", json(refused).get("error").getAsString());

            java.util.Hashtable<String, Object> allowLoopback = new java.util.Hashtable<>();
            allowLoopback.put("urlAllow", new String[] {"127.0.0.0/8", "::1/128"});
            configureInferenceApi(api, allowLoopback);
            HttpAnswer a = post("/url", "application/json", request, null);
            assertEquals(a.body, 200, a.status);
            assertEquals("face", json(a).getAsJsonArray("predictions").get(0).getAsJsonObject().get("tagName").getAsString());

            HttpAnswer missing = post("/url", "application/json", ("{\"url\": \"" + base + "/it/none.png\"}").getBytes(), null);
            assertEquals(400, missing.status);
            assertEquals("the same answer for a 404 as for a refused address", json(refused).get("error"), json(missing).get("error"));
            HttpAnswer notAnImage = post("/url", "application/json", ("{\"url\": \"" + base + "/health\"}").getBytes(), null);
            assertEquals(json(refused), json(notAnImage));
            assertEquals(400, post("/url", "application/json", "not json".getBytes(), null).status);
        } finally {
            registration.unregister();
            configureInferenceApi(api, null);
        }
    }

    @Test
    public void modelsApiNeedsTheAdminPassword() throws Exception {
        assertEquals(401, get("/api/v1/models", null).status);
        assertEquals(401, get("/api/v1/models", "wrong-password").status);
        HttpAnswer a = get("/api/v1/models", ADMIN_PASSWORD);
        assertEquals(200, a.status);
        JsonObject model = json(a).getAsJsonArray("models").get(0).getAsJsonObject();
        assertEquals("blazeface", model.get("name").getAsString());
        assertEquals("detection", model.get("task").getAsString());
        assertEquals("active", model.get("state").getAsString());
        assertEquals(1, json(a).get("openSessions").getAsInt());
    }

    static JsonObject json(HttpAnswer a) {
        return JsonParser.parseString(a.body).getAsJsonObject();
    }

    /** Waits until the models API lists that version as active. */
    static void awaitActive(String name, String version) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        String last = "";
        while (System.currentTimeMillis() < deadline) {
            HttpAnswer a = get("/api/v1/models", ADMIN_PASSWORD);
            last = a.body;
            if (a.status == 200) {
                for (var m : json(a).getAsJsonArray("models")) {
                    JsonObject o = m.getAsJsonObject();
                    if (o.get("name").getAsString().equals(name) && o.get("version").getAsString().equals(version)
                            && o.get("state").getAsString().equals("active")) {
                        return;
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError(name + " " + version + " never became active: " + last);
    }
}
