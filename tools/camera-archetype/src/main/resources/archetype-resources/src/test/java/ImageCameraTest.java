package ${package};

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.awt.image.BufferedImage;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osprey.api.camera.Frame;
import org.osprey.api.camera.PixelFormat;
import org.osprey.api.camera.SourceState;

public class ImageCameraTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** The configuration as Declarative Services would give it. */
    private static ImageCameraConfiguration config(String path, double fps) {
        Map<String, Object> v = Map.of("camera_id", "door", "path", path, "fps", fps);
        return (ImageCameraConfiguration) Proxy.newProxyInstance(ImageCameraConfiguration.class.getClassLoader(),
                new Class<?>[] {ImageCameraConfiguration.class}, (p, m, a) -> v.get(m.getName()));
    }

    @Test
    public void showsTheImageAtItsRate() throws Exception {
        Path png = tmp.getRoot().toPath().resolve("door.png");
        ImageIO.write(new BufferedImage(32, 24, BufferedImage.TYPE_3BYTE_BGR), "png", png.toFile());
        ImageCamera camera = new ImageCamera(config(png.toString(), 20));
        Frame first = camera.nextFrame(1, TimeUnit.SECONDS);
        assertNotNull(first);
        assertEquals(PixelFormat.PNG, first.format());
        assertEquals("door", first.cameraId());
        long start = System.nanoTime();
        Frame second = camera.nextFrame(1, TimeUnit.SECONDS);
        assertNotNull(second);
        assertTrue("a new frame: " + first.sequence() + " then " + second.sequence(), second.sequence() > first.sequence());
        assertTrue("not faster than 20 fps", System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(40));
        assertEquals(SourceState.STREAMING, camera.status().state());
        assertEquals(2, camera.status().framesDelivered());
    }

    @Test
    public void aMissingFileIsWaitedFor() throws Exception {
        ImageCamera camera = new ImageCamera(config(tmp.getRoot().toPath().resolve("later.jpg").toString(), 10));
        assertNull(camera.nextFrame(200, TimeUnit.MILLISECONDS));
        assertEquals(SourceState.RECONNECTING, camera.status().state());
        assertTrue(camera.status().message(), camera.status().message().contains("later.jpg"));
    }
}
