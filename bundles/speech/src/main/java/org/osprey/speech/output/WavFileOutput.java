package org.osprey.speech.output;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osprey.api.speech.Audio;
import org.osprey.api.speech.AudioOutput;
import org.osprey.api.speech.SpeechException;

/** Writes each announcement to {@code <data>/speech/last.wav}: for gateways without a sound device, and for tests. */
@Component(property = AudioOutput.OUTPUT + "=wav-file")
public class WavFileOutput implements AudioOutput {

    private final Path file;

    @Activate
    public WavFileOutput(BundleContext context) {
        String data = context.getProperty("osprey.data");
        this.file = Path.of(data == null ? "data" : data, "speech", "last.wav");
    }

    @Override
    public void play(Audio audio) throws SpeechException {
        byte[] wav = new byte[audio.size()];
        audio.bytes().get(wav);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling("last.wav.tmp");
            Files.write(tmp, wav);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new SpeechException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
