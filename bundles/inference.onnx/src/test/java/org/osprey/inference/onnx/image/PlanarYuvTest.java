package org.osprey.inference.onnx.image;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.time.Instant;

import org.junit.AfterClass;
import org.junit.Test;
import org.osprey.api.camera.Frame;
import org.osprey.api.camera.PixelFormat;

/** A real photo turned into a decoder's YUV planes (padded rows, an odd size), sampled back to RGB. */
public class PlanarYuvTest {

    private static final ImageDecoders DECODERS = new ImageDecoders();

    @AfterClass
    public static void close() {
        DECODERS.close();
    }

    /** dog.jpg (768x576) cropped to 767x575, so the chroma planes have a half-covered last column and row. */
    private static int[] photo(int[] size) throws Exception {
        Pixels p = DECODERS.decode(ImageDecodersTest.sample("dog.jpg"), (w, h) -> DecodeTarget.FULL_SIZE, new DecodeBuffers());
        int w = p.width() - 1, h = p.height() - 1;
        int[] rgb = new int[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w * 3; x++) {
                rgb[y * w * 3 + x] = p.data().get(y * p.stride() + x) & 0xFF;
            }
        }
        size[0] = w;
        size[1] = h;
        return rgb;
    }

    /** BT.601 limited range, chroma averaged over each 2x2 block, rows padded as FFmpeg pads them. */
    private static Frame yuv(int[] rgb, int w, int h, PixelFormat format) {
        int cw = (w + 1) / 2, ch = (h + 1) / 2, lumaStride = w + 33, chromaStride = (format == PixelFormat.NV12 ? 2 * cw : cw) + 17;
        ByteBuffer luma = ByteBuffer.allocateDirect(lumaStride * h);
        ByteBuffer u = ByteBuffer.allocateDirect(chromaStride * ch), v = ByteBuffer.allocateDirect(chromaStride * ch);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                luma.put(y * lumaStride + x, (byte) Math.round(16 + 0.257 * rgb[i] + 0.504 * rgb[i + 1] + 0.098 * rgb[i + 2]));
            }
        }
        for (int y = 0; y < ch; y++) {
            for (int x = 0; x < cw; x++) {
                double cb = 0, cr = 0;
                int n = 0;
                for (int dy = 0; dy < 2 && 2 * y + dy < h; dy++) {
                    for (int dx = 0; dx < 2 && 2 * x + dx < w; dx++, n++) {
                        int i = ((2 * y + dy) * w + 2 * x + dx) * 3;
                        cb += 128 - 0.148 * rgb[i] - 0.291 * rgb[i + 1] + 0.439 * rgb[i + 2];
                        cr += 128 + 0.439 * rgb[i] - 0.368 * rgb[i + 1] - 0.071 * rgb[i + 2];
                    }
                }
                if (format == PixelFormat.NV12) {
                    u.put(y * chromaStride + 2 * x, (byte) Math.round(cb / n));
                    u.put(y * chromaStride + 2 * x + 1, (byte) Math.round(cr / n));
                } else {
                    u.put(y * chromaStride + x, (byte) Math.round(cb / n));
                    v.put(y * chromaStride + x, (byte) Math.round(cr / n));
                }
            }
        }
        return format == PixelFormat.NV12
                ? Frame.planar("cam", 1, Instant.EPOCH, format, w, h, new int[] {lumaStride, chromaStride}, new ByteBuffer[] {luma, u})
                : Frame.planar("cam", 1, Instant.EPOCH, format, w, h, new int[] {lumaStride, chromaStride, chromaStride}, new ByteBuffer[] {luma, u, v});
    }

    private static byte[] bytes(Pixels p) {
        byte[] b = new byte[p.width() * p.height() * 3];
        p.data().get(0, b);
        return b;
    }

    /** Mean absolute difference per channel between the sampled picture and the photo averaged over the same boxes. */
    private static double difference(Pixels sampled, int[] rgb, int w, int h) {
        int tw = sampled.width(), th = sampled.height();
        double total = 0;
        for (int y = 0; y < th; y++) {
            int ya = y * h / th, yb = Math.max(ya + 1, (y + 1) * h / th);
            for (int x = 0; x < tw; x++) {
                int xa = x * w / tw, xb = Math.max(xa + 1, (x + 1) * w / tw);
                for (int c = 0; c < 3; c++) {
                    double sum = 0;
                    for (int sy = ya; sy < yb; sy++) {
                        for (int sx = xa; sx < xb; sx++) {
                            sum += rgb[(sy * w + sx) * 3 + c];
                        }
                    }
                    total += Math.abs(sum / ((yb - ya) * (xb - xa)) - (sampled.data().get((y * tw + x) * 3 + c) & 0xFF));
                }
            }
        }
        return total / (tw * th * 3);
    }

    @Test
    public void aYuvFrameSampledToAModelsSizeLooksLikeThePhotoShrunk() throws Exception {
        int[] size = new int[2];
        int[] rgb = photo(size);
        int w = size[0], h = size[1];
        Frame i420 = yuv(rgb, w, h, PixelFormat.I420);

        Pixels small = DECODERS.pixels(i420, (fw, fh) -> new DecodeTarget(128, 96), new DecodeBuffers());
        assertEquals(128, small.width());
        assertEquals(96, small.height());
        assertEquals(w, small.sourceWidth());
        assertEquals(ChannelOrder.RGB, small.order());
        double shrunk = difference(small, rgb, w, h);
        assertTrue("128x96 from YUV differs from the photo's box averages by " + shrunk + " levels on average", shrunk < 4);

        Pixels full = DECODERS.pixels(i420, (fw, fh) -> DecodeTarget.FULL_SIZE, new DecodeBuffers());
        assertEquals(w, full.width());
        double same = difference(full, rgb, w, h);
        assertTrue("full size from YUV differs from the photo by " + same + " levels on average", same < 4);
    }

    @Test
    public void nv12AndI420OfTheSamePictureSampleAlike() throws Exception {
        int[] size = new int[2];
        int[] rgb = photo(size);
        for (DecodeTarget target : new DecodeTarget[] {new DecodeTarget(224, 224), new DecodeTarget(300, 0), DecodeTarget.FULL_SIZE}) {
            byte[] fromI420 = bytes(DECODERS.pixels(yuv(rgb, size[0], size[1], PixelFormat.I420), (w, h) -> target, new DecodeBuffers()));
            byte[] fromNv12 = bytes(DECODERS.pixels(yuv(rgb, size[0], size[1], PixelFormat.NV12), (w, h) -> target, new DecodeBuffers()));
            assertArrayEquals("at " + target, fromI420, fromNv12);
        }
    }

    @Test
    public void aTargetWiderThanTheFrameIsTheFramesOwnSize() throws Exception {
        ByteBuffer luma = ByteBuffer.allocate(4 * 2), chroma = ByteBuffer.allocate(2);
        luma.put(0, (byte) 235);
        Frame tiny = Frame.planar("cam", 1, Instant.EPOCH, PixelFormat.I420, 4, 2, new int[] {4, 2, 2},
                new ByteBuffer[] {luma, chroma.put(0, (byte) 128).put(1, (byte) 128), chroma.duplicate()});
        Pixels p = DECODERS.pixels(tiny, (w, h) -> new DecodeTarget(64, 0), new DecodeBuffers());
        assertEquals(4, p.width());
        assertEquals(2, p.height());
        // Y 235 with neutral chroma is white, Y 0 (below the limited range) black
        assertEquals(255, p.data().get(0) & 0xFF);
        assertEquals(0, p.data().get(3) & 0xFF);
    }
}
