package org.osprey.inference.onnx.image;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import org.junit.AfterClass;
import org.junit.Test;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.NativeLongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * Images made to hurt: headers that declare billions of pixels in a few bytes are refused from the
 * header, nothing decoded; the buffers kept for reuse stay bounded after huge valid images; CMYK and
 * YCCK JPEGs decode to the colours browsers show.
 */
public class HostileImagesTest {

    private static final ImageDecoders DECODERS = new ImageDecoders();

    @AfterClass
    public static void close() {
        DECODERS.close();
    }

    /** A real JPEG whose frame header is rewritten to declare {@code width x height}. */
    private static ByteBuffer jpegDeclaring(int width, int height) throws Exception {
        ByteBuffer b = ImageDecodersTest.sample("dog.jpg");
        for (int i = 2; ; ) {
            int marker = b.get(i + 1) & 0xFF;
            int length = ((b.get(i + 2) & 0xFF) << 8) | (b.get(i + 3) & 0xFF);
            if (marker == 0xC0 || marker == 0xC2) {
                b.putShort(i + 5, (short) height);
                b.putShort(i + 7, (short) width);
                return b;
            }
            i += 2 + length;
        }
    }

    @Test
    public void aJpegDeclaring65500x65500IsRefusedFromItsHeader() throws Exception {
        ImageTooLargeException e = assertThrows(ImageTooLargeException.class,
                () -> DECODERS.decode(jpegDeclaring(65500, 65500), (w, h) -> DecodeTarget.FULL_SIZE, new DecodeBuffers()));
        assertTrue(e.getMessage(), e.getMessage().contains("65500x65500"));
        assertEquals(new ImageSize(65500, 65500), ImageSize.of(ImageFormat.JPEG, jpegDeclaring(65500, 65500)));
    }

    @Test
    public void aBmpOf2Pow31Minus1PixelsWideIsRefusedFromItsHeader() {
        ByteBuffer bmp = ByteBuffer.allocate(1338).order(ByteOrder.LITTLE_ENDIAN);
        bmp.put((byte) 'B').put((byte) 'M').putInt(1338).putInt(0).putInt(54);
        bmp.putInt(40).putInt(Integer.MAX_VALUE).putInt(1).putShort((short) 1).putShort((short) 24);
        bmp.rewind();
        assertThrows(ImageTooLargeException.class, () -> DECODERS.decode(bmp, (w, h) -> DecodeTarget.FULL_SIZE, new DecodeBuffers()));
        ByteBuffer tall = bmp.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        tall.putInt(18, 1).putInt(22, Integer.MIN_VALUE + 1); // top-down rows: a negative height
        assertThrows(ImageTooLargeException.class, () -> DECODERS.decode(tall, (w, h) -> DecodeTarget.FULL_SIZE, new DecodeBuffers()));
    }

    @Test
    public void aPngBombOf46340x46340IsRefusedFromItsHeader() {
        ByteBuffer png = ByteBuffer.allocate(64);
        png.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}).putInt(13).put("IHDR".getBytes()).putInt(46340).putInt(46340)
                .put((byte) 8).put((byte) 0);
        png.rewind();
        ImageTooLargeException e = assertThrows(ImageTooLargeException.class,
                () -> DECODERS.decode(png, (w, h) -> DecodeTarget.FULL_SIZE, new DecodeBuffers()));
        assertTrue(e.getMessage(), e.getMessage().contains("46340x46340"));
    }

    @Test
    public void truncatedAndNonsenseHeadersAreBadImagesNotErrors() {
        ByteBuffer[] bad = {
            ByteBuffer.wrap(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}),
            ByteBuffer.wrap(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 0}),
            ByteBuffer.wrap(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0}),
            ByteBuffer.wrap(new byte[] {'B', 'M', 1, 2, 3}),
        };
        for (ByteBuffer b : bad) {
            assertThrows(BadImageException.class, () -> DECODERS.decode(b, (w, h) -> DecodeTarget.FULL_SIZE, new DecodeBuffers()));
        }
    }

    @Test
    public void limitsAreConfigurable() throws Exception {
        ImageDecoders small = new ImageDecoders(new ImageLimits(100_000, 500));
        try {
            // dog.jpg is 768x576: 0.44 megapixels, wider than 500
            assertThrows(ImageTooLargeException.class, () -> small.decode(ImageDecodersTest.sample("dog.jpg"), (w, h) -> DecodeTarget.FULL_SIZE, new DecodeBuffers()));
        } finally {
            small.close();
        }
        assertThrows(IllegalArgumentException.class, () -> new ImageLimits(0, 1));
    }

    /** A JPEG of {@code w x h} random pixels (random: nothing compresses away, every block decodes). */
    private static ByteBuffer noiseJpeg(int w, int h) throws Exception {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        byte[] data = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
        new java.util.Random(7).nextBytes(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpeg", out);
        return ByteBuffer.wrap(out.toByteArray());
    }

    @Test
    public void buffersKeptForReuseStayBoundedAfterHugeImages() throws Exception {
        BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(p -> p.getName().equals("direct")).findFirst().orElseThrow();
        ByteBuffer big = noiseJpeg(4000, 3000); // 12 megapixels: 36 MB decoded at full size
        DecodeBuffers buffers = new DecodeBuffers();
        long idle = settledDirectMemory(direct, Long.MAX_VALUE);
        for (int i = 0; i < 4; i++) {
            Pixels p = DECODERS.decode(big, (w, h) -> DecodeTarget.FULL_SIZE, buffers);
            assertEquals(4000, p.width());
        }
        assertTrue("kept for reuse: " + buffers.retained(), buffers.retained() <= DecodeBuffers.KEEP_ENCODED + DecodeBuffers.KEEP_PIXELS);
        // what the huge decodes took is given back once collected
        long bound = idle + DecodeBuffers.KEEP_ENCODED + DecodeBuffers.KEEP_PIXELS;
        long after = settledDirectMemory(direct, bound);
        assertTrue("direct memory " + after + " after the decodes, idle " + idle + ", bound " + bound, after <= bound);
    }

    /** Direct memory in use once the collector has run, waiting (with a deadline) for it to fall to {@code target}. */
    private static long settledDirectMemory(BufferPoolMXBean direct, long target) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        long used;
        do {
            System.gc();
            Thread.sleep(50); // the cleaner frees direct memory on its own thread after the collection
            used = direct.getMemoryUsed();
        } while (used > target && System.nanoTime() < deadline);
        return used;
    }

    private interface TurboJpegCompressor extends Library {
        Pointer tjInitCompress();

        int tjCompress2(Pointer handle, byte[] src, int width, int pitch, int height, int pixelFormat, PointerByReference jpeg,
                NativeLongByReference size, int subsamp, int quality, int flags);

        void tjFree(Pointer buffer);

        int tjDestroy(Pointer handle);
    }

    /** Inverted (Adobe) CMYK values of one colour, for every pixel of a w x h picture. */
    private static byte[] cmykPixels(int w, int h, int c, int m, int y, int k) {
        byte[] px = new byte[w * h * 4];
        for (int i = 0; i < w * h; i++) {
            px[4 * i] = (byte) c;
            px[4 * i + 1] = (byte) m;
            px[4 * i + 2] = (byte) y;
            px[4 * i + 3] = (byte) k;
        }
        return px;
    }

    @Test
    public void cmykAndYcckJpegsDecodeToTheColoursBrowsersShow() throws Exception {
        // red in inverted CMYK: no cyan ink (255), full magenta and yellow (0), no black (255)
        byte[] red = cmykPixels(64, 48, 255, 0, 0, 255);

        // CMYK: ImageIO writes a four-band raster as a CMYK JPEG
        WritableRaster raster = Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE, 64, 48, 4, null);
        raster.setDataElements(0, 0, 64, 48, red);
        ByteArrayOutputStream cmyk = new ByteArrayOutputStream();
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(cmyk)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(raster, null, null), null);
        } finally {
            writer.dispose();
        }
        assertRed(DECODERS.decode(ByteBuffer.wrap(cmyk.toByteArray()), (w, h) -> DecodeTarget.FULL_SIZE, new DecodeBuffers()));

        // YCCK: libjpeg-turbo compresses CMYK pixels as YCCK
        TurboJpegCompressor tj = Native.load("turbojpeg", TurboJpegCompressor.class);
        Pointer handle = tj.tjInitCompress();
        PointerByReference jpeg = new PointerByReference();
        NativeLongByReference size = new NativeLongByReference(new NativeLong(0));
        try {
            assertEquals(0, tj.tjCompress2(handle, red, 64, 64 * 4, 48, 11 /* TJPF_CMYK */, jpeg, size, 0 /* 4:4:4 */, 95, 0));
            byte[] ycck = jpeg.getValue().getByteArray(0, size.getValue().intValue());
            assertRed(DECODERS.decode(ByteBuffer.wrap(ycck), (w, h) -> DecodeTarget.FULL_SIZE, new DecodeBuffers()));
        } finally {
            tj.tjFree(jpeg.getValue());
            tj.tjDestroy(handle);
        }
    }

    private static void assertRed(Pixels p) {
        assertEquals(64, p.width());
        assertEquals(ChannelOrder.RGB, p.order());
        ByteBuffer b = p.data();
        int at = (p.height() / 2) * p.stride() + (p.width() / 2) * 3;
        int r = b.get(at) & 0xFF, g = b.get(at + 1) & 0xFF, bl = b.get(at + 2) & 0xFF;
        assertTrue("red, was " + r + "," + g + "," + bl, r > 240 && g < 16 && bl < 16);
    }
}
