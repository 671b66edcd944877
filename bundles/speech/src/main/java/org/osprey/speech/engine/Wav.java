package org.osprey.speech.engine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** RIFF/WAVE helpers: engines that stream (espeak-ng) leave the sizes in the header unset. */
public final class Wav {

    private Wav() {
    }

    /** The WAV with its RIFF and data chunk sizes set from the bytes actually there. */
    public static byte[] fixSizes(byte[] wav) {
        if (wav.length < 44 || wav[0] != 'R' || wav[1] != 'I' || wav[2] != 'F' || wav[3] != 'F') {
            throw new IllegalArgumentException("not a RIFF/WAVE stream (" + wav.length + " bytes)");
        }
        ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(4, wav.length - 8);
        int pos = 12;
        while (pos + 8 <= wav.length) {
            int size = b.getInt(pos + 4);
            if (wav[pos] == 'd' && wav[pos + 1] == 'a' && wav[pos + 2] == 't' && wav[pos + 3] == 'a') {
                b.putInt(pos + 4, wav.length - pos - 8);
                return wav;
            }
            pos += 8 + size + (size & 1);
        }
        throw new IllegalArgumentException("no data chunk in the WAV stream");
    }

    /** Seconds of sound in a 16-bit PCM WAV (the format engines here produce). */
    public static double seconds(byte[] wav) {
        ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        int byteRate = b.getInt(28);
        return byteRate == 0 ? 0 : (double) (wav.length - 44) / byteRate;
    }
}
