package org.osprey.speech.output;

import java.io.ByteArrayInputStream;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.SourceDataLine;

import org.osgi.service.component.annotations.Component;
import org.osprey.api.speech.Audio;
import org.osprey.api.speech.AudioOutput;
import org.osprey.api.speech.SpeechException;

/** The default sound device through Java Sound (ALSA on Linux, also in a container given /dev/snd). */
@Component(property = AudioOutput.OUTPUT + "=speaker")
public class SpeakerOutput implements AudioOutput {

    @Override
    public void play(Audio audio) throws SpeechException {
        byte[] wav = new byte[audio.size()];
        audio.bytes().get(wav);
        try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(wav))) {
            AudioFormat format = in.getFormat();
            try (SourceDataLine line = AudioSystem.getSourceDataLine(format)) {
                line.open(format);
                line.start();
                byte[] buf = new byte[8192];
                for (int n; (n = in.read(buf)) > 0;) {
                    line.write(buf, 0, n);
                }
                line.drain();
            }
        } catch (Exception | LinkageError e) {
            throw new SpeechException("no sound device to play on (" + e.getMessage() + ")", e);
        }
    }
}
