package org.osprey.camera.files;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.awt.image.BufferedImage;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osprey.api.camera.CameraException;
import org.osprey.api.camera.Frame;
import org.osprey.api.camera.PixelFormat;
import org.osprey.api.camera.SourceState;

public class FileCameraTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static FileCameraConfiguration config(String path, double fps, boolean loop) {
        Map<String, Object> values = Map.of("camera_id", "cam", "path", path, "fps", fps, "loop", loop);
        return (FileCameraConfiguration) Proxy.newProxyInstance(FileCameraConfiguration.class.getClassLoader(),
                new Class<?>[] {FileCameraConfiguration.class}, (p, m, a) -> values.get(m.getName()));
    }

    private static void png(Path file) throws Exception {
        png(file, 8);
    }

    private static void png(Path file, int width) throws Exception {
        ImageIO.write(new BufferedImage(width, 8, BufferedImage.TYPE_3BYTE_BGR), "png", file.toFile());
    }

    @Test
    public void loopsOverAFolderInNameOrder() throws Exception {
        Path dir = tmp.newFolder("pictures").toPath();
        // written out of order, told apart by their widths
        png(dir.resolve("b.png"), 16);
        png(dir.resolve("a.png"), 8);
        Files.writeString(dir.resolve("notes.txt"), "not a picture");
        FileCamera camera = new FileCamera(null, config(dir.toString(), 200, true));
        long last = -1;
        for (int i = 0; i < 5; i++) {
            Frame f = camera.nextFrame(1, TimeUnit.SECONDS);
            assertNotNull(f);
            assertEquals(PixelFormat.PNG, f.format());
            assertTrue("sequence grows", f.sequence() > last);
            last = f.sequence();
            // frame n of the round is the n-th picture by name (a consumer may skip frames: the sequence says which)
            byte[] png = new byte[f.data().remaining()];
            f.data().get(png);
            int width = ImageIO.read(new java.io.ByteArrayInputStream(png)).getWidth();
            assertEquals("frame " + f.sequence() + " is " + (f.sequence() % 2 == 0 ? "a.png" : "b.png"), f.sequence() % 2 == 0 ? 8 : 16, width);
        }
        assertEquals(SourceState.STREAMING, camera.status().state());
        assertEquals(5, camera.status().framesDelivered());
    }

    /** A slow consumer gets the current frame, not a backlog: the sequence numbers jump. */
    @Test
    public void aSlowConsumerSkipsFrames() throws Exception {
        Path dir = tmp.newFolder("pictures").toPath();
        png(dir.resolve("a.png"));
        FileCamera camera = new FileCamera(null, config(dir.toString(), 100, true));
        long first = camera.nextFrame(1, TimeUnit.SECONDS).sequence();
        Thread.sleep(200);
        long next = camera.nextFrame(1, TimeUnit.SECONDS).sequence();
        assertTrue("skipped about 20 frames: " + first + " -> " + next, next - first >= 10);
    }

    @Test
    public void waitsForAMissingFolderAndRecovers() throws Exception {
        Path dir = tmp.getRoot().toPath().resolve("later");
        FileCamera camera = new FileCamera(null, config(dir.toString(), 100, true));
        assertNull(camera.nextFrame(200, TimeUnit.MILLISECONDS));
        assertEquals(SourceState.RECONNECTING, camera.status().state());
        assertTrue(camera.status().message(), camera.status().message().contains("no such file or folder"));
        Files.createDirectories(dir);
        png(dir.resolve("a.png"));
        assertNotNull(camera.nextFrame(3, TimeUnit.SECONDS));
        assertEquals(SourceState.STREAMING, camera.status().state());
    }

    @Test
    public void endsAfterTheLastImageWhenNotLooping() throws Exception {
        Path dir = tmp.newFolder("pictures").toPath();
        png(dir.resolve("a.png"));
        FileCamera camera = new FileCamera(null, config(dir.toString(), 200, false));
        assertNotNull(camera.nextFrame(1, TimeUnit.SECONDS));
        assertThrows(CameraException.class, () -> camera.nextFrame(1, TimeUnit.SECONDS));
        assertEquals(SourceState.ENDED, camera.status().state());
    }

    @Test
    public void testPatternIsRawBgr() throws Exception {
        FileCamera camera = new FileCamera(null, config("testpattern", 200, true));
        Frame f = camera.nextFrame(1, TimeUnit.SECONDS);
        assertEquals(PixelFormat.BGR24, f.format());
        assertEquals(640, f.width());
        assertEquals(640 * 480 * 3, f.data().remaining());
    }
}
