package org.osprey.inference.onnx.image;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import javax.imageio.ImageIO;

import org.junit.AfterClass;
import org.junit.Test;

/** Real files through the real decoders: libjpeg-turbo (from the OS) for JPEG, ImageIO for the rest. */
public class ImageDecodersTest {

    private static final ImageDecoders DECODERS = new ImageDecoders();

    @AfterClass
    public static void close() {
        DECODERS.close();
    }

    static ByteBuffer sample(String name) throws Exception {
        return ByteBuffer.wrap(Files.readAllBytes(Path.of(System.getProperty("osprey.samples", "../../samples/images"), name)));
    }

    @Test
    public void jpegIsDecodedByLibjpegTurbo() {
        assertEquals("libjpeg-turbo must be installed (Debian: libturbojpeg0)", "libjpeg-turbo",
                DECODERS.decoder(ImageFormat.JPEG).name());
    }

    @Test
    public void jpegShrinksOnLoadToTheSmallestScaleThatCoversTheTarget() throws Exception {
        // dog.jpg is 768x576: for 128x96 the 1/4 scale (192x144) is the smallest that covers it
        Pixels p = DECODERS.decode(sample("dog.jpg"), (w, h) -> new DecodeTarget(128, 96), new DecodeBuffers());
        assertEquals(192, p.width());
        assertEquals(144, p.height());
        assertEquals(768, p.sourceWidth());
        assertEquals(576, p.sourceHeight());
        assertEquals(ChannelOrder.RGB, p.order());

        Pixels full = DECODERS.decode(sample("dog.jpg"), (w, h) -> DecodeTarget.FULL_SIZE, new DecodeBuffers());
        assertEquals("no target: full size", 768, full.width());
    }

    @Test
    public void scaleChoice() {
        assertEquals(2, TurboJpeg.eighths(768, 576, new DecodeTarget(128, 96)));
        assertEquals(8, TurboJpeg.eighths(100, 100, new DecodeTarget(200, 200)));
        assertEquals(1, TurboJpeg.eighths(1024, 1024, new DecodeTarget(128, 128)));
        assertEquals(3, TurboJpeg.eighths(1000, 1000, new DecodeTarget(300, 300)));
        assertEquals(100, TurboJpeg.scaled(800, 1));
        assertEquals(101, TurboJpeg.scaled(801, 1));
    }

    @Test
    public void grayscaleJpegStaysGray() throws Exception {
        BufferedImage gray = new BufferedImage(64, 32, BufferedImage.TYPE_BYTE_GRAY);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(gray, "jpg", out);
        Pixels p = DECODERS.decode(ByteBuffer.wrap(out.toByteArray()), (w, h) -> DecodeTarget.FULL_SIZE, new DecodeBuffers());
        assertEquals(ChannelOrder.GRAY, p.order());
        assertEquals(64, p.width());
    }

    @Test
    public void pngIsSubsampledButKeepsTwiceTheTarget() throws Exception {
        Pixels p = DECODERS.decode(sample("astronaut.png"), (w, h) -> new DecodeTarget(128, 128), new DecodeBuffers());
        assertEquals(256, p.width());
        assertEquals(512, p.sourceWidth());
    }

    @Test
    public void badBytesAreBadImagesWithAReason() throws Exception {
        DecodeBuffers b = new DecodeBuffers();
        BadImageException notImage = assertThrows(BadImageException.class,
                () -> DECODERS.decode(ByteBuffer.wrap("hello".getBytes()), (w, h) -> DecodeTarget.FULL_SIZE, b));
        assertTrue(notImage.getMessage(), notImage.getMessage().contains("not a JPEG, PNG or BMP"));
        byte[] corrupt = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 1, 2, 3, 4};
        BadImageException badJpeg = assertThrows(BadImageException.class,
                () -> DECODERS.decode(ByteBuffer.wrap(corrupt), (w, h) -> DecodeTarget.FULL_SIZE, b));
        assertTrue(badJpeg.getMessage(), badJpeg.getMessage().contains("JPEG"));
        byte[] png = sample("coffee.png").array();
        assertThrows(BadImageException.class,
                () -> DECODERS.decode(ByteBuffer.wrap(java.util.Arrays.copyOf(png, 100)), (w, h) -> DecodeTarget.FULL_SIZE, b));
        BadImageException junk = assertThrows(BadImageException.class,
                () -> DECODERS.decode(ByteBuffer.wrap(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 'j', 'u', 'n', 'k'}), (w, h) -> DecodeTarget.FULL_SIZE, b));
        assertTrue(junk.getMessage(), junk.getMessage().contains("JPEG"));
        // the decoder still works afterwards: a failed decode must not poison the next ones
        for (int i = 0; i < 3; i++) {
            assertEquals(192, DECODERS.decode(sample("dog.jpg"), (w, h) -> new DecodeTarget(128, 96), b).width());
        }
    }

    @Test
    public void sniffsByMagicBytes() {
        assertEquals(Optional.of(ImageFormat.JPEG), ImageFormat.sniff(ByteBuffer.wrap(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF})));
        assertEquals(Optional.of(ImageFormat.BMP), ImageFormat.sniff(ByteBuffer.wrap("BM....".getBytes())));
        assertEquals(Optional.empty(), ImageFormat.sniff(ByteBuffer.wrap(new byte[0])));
    }
}
