package org.osprey.camera.javacv;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_NV12;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import java.nio.ByteBuffer;
import java.time.Instant;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.DoublePointer;
import org.osprey.api.camera.Frame;
import org.osprey.api.camera.PixelFormat;

/**
 * The decoder's picture as a {@link Frame} in its own layout: YUV 4:2:0 (planar or NV12, what H.264 and
 * hardware decoders give) is handed over as it is, planes copied once out of FFmpeg's reused buffers and
 * never converted to RGB (consumers sample the few pixels they need). Any other layout (a webcam's YUYV,
 * full-range yuvj420p) is turned into I420 by swscale first, at the same size. One per camera thread.
 */
final class DecodedPictures implements AutoCloseable {

    private SwsContext sws;
    private AVFrame converted;

    Frame frame(String cameraId, long sequence, Instant capturedAt, AVFrame picture) {
        int format = picture.format();
        if (format == AV_PIX_FMT_YUV420P) {
            return planar(cameraId, sequence, capturedAt, PixelFormat.I420, picture);
        }
        if (format == AV_PIX_FMT_NV12) {
            return planar(cameraId, sequence, capturedAt, PixelFormat.NV12, picture);
        }
        return planar(cameraId, sequence, capturedAt, PixelFormat.I420, toI420(picture));
    }

    private AVFrame toI420(AVFrame picture) {
        int w = picture.width(), h = picture.height();
        if (converted == null || converted.width() != w || converted.height() != h) {
            avutil.av_frame_free(converted);
            converted = avutil.av_frame_alloc();
            converted.format(AV_PIX_FMT_YUV420P);
            converted.width(w);
            converted.height(h);
            if (avutil.av_frame_get_buffer(converted, 32) < 0) {
                throw new IllegalStateException("no memory for a " + w + "x" + h + " picture");
            }
        }
        sws = swscale.sws_getCachedContext(sws, w, h, picture.format(), w, h, AV_PIX_FMT_YUV420P, swscale.SWS_BILINEAR, null, null, (DoublePointer) null);
        if (sws == null) {
            throw new IllegalStateException("FFmpeg cannot convert " + avutil.av_get_pix_fmt_name(picture.format()).getString() + " pictures");
        }
        swscale.sws_scale(sws, picture.data(), picture.linesize(), 0, h, converted.data(), converted.linesize());
        return converted;
    }

    private static Frame planar(String cameraId, long sequence, Instant capturedAt, PixelFormat format, AVFrame picture) {
        int w = picture.width(), h = picture.height(), planes = format.planes();
        int[] strides = new int[planes];
        ByteBuffer[] buffers = new ByteBuffer[planes];
        for (int i = 0; i < planes; i++) {
            int rows = i == 0 ? h : (h + 1) / 2;
            strides[i] = picture.linesize(i);
            byte[] copy = new byte[strides[i] * rows];
            picture.data(i).get(copy, 0, copy.length);
            buffers[i] = ByteBuffer.wrap(copy);
        }
        return Frame.planar(cameraId, sequence, capturedAt, format, w, h, strides, buffers);
    }

    @Override
    public void close() {
        swscale.sws_freeContext(sws);
        sws = null;
        avutil.av_frame_free(converted);
        converted = null;
    }
}
