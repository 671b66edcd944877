package org.osprey.speech.engine;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.lang.reflect.Proxy;
import java.util.Locale;
import java.util.Map;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

import org.junit.Test;
import org.osprey.api.speech.Audio;
import org.osprey.api.speech.SpeechException;
import org.osprey.api.speech.SpeechRequest;

/** The real espeak-ng (installed by .ci/run): real audio for real text. */
public class EspeakEngineTest {

    static EspeakEngine engine() {
        Map<String, Object> v = Map.of("command", "espeak-ng", "speed", 150);
        return new EspeakEngine((EspeakEngine.Config) Proxy.newProxyInstance(EspeakEngine.Config.class.getClassLoader(),
                new Class<?>[] {EspeakEngine.Config.class}, (p, m, a) -> v.get(m.getName())));
    }

    @Test
    public void speaksEnglishAsAParsableNonSilentWav() throws Exception {
        Audio audio = engine().synthesize(new SpeechRequest("I see an apple", Locale.ENGLISH, null));
        assertEquals(Audio.WAV, audio.mimeType());
        byte[] wav = new byte[audio.size()];
        audio.bytes().get(wav);
        try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(wav))) {
            AudioFormat f = in.getFormat();
            assertEquals(16, f.getSampleSizeInBits());
            double seconds = in.getFrameLength() / f.getFrameRate();
            assertTrue("a short sentence lasts about a second: " + seconds, seconds > 0.5 && seconds < 5);
            byte[] pcm = in.readAllBytes();
            double sum = 0;
            for (int i = 0; i + 1 < pcm.length; i += 2) {
                short s = (short) ((pcm[i] & 0xFF) | pcm[i + 1] << 8);
                sum += (double) s * s;
            }
            double rms = Math.sqrt(sum / (pcm.length / 2.0));
            assertTrue("not silence: rms " + rms, rms > 300);
        }
        assertEquals(Wav.seconds(wav), (wav.length - 44) / (22050.0 * 2), 0.01);
    }

    @Test
    public void speaksFrenchAndRefusesAnUnknownLanguage() throws Exception {
        EspeakEngine e = engine();
        assertTrue(e.supports(Locale.FRENCH));
        assertTrue(e.synthesize(new SpeechRequest("Je vois une pomme", Locale.FRENCH, null)).size() > 10_000);
        assertFalse(e.supports(Locale.forLanguageTag("xx")));
        SpeechException no = assertThrows(SpeechException.class, () -> e.synthesize(new SpeechRequest("hello", Locale.forLanguageTag("xx"), null)));
        assertTrue(no.getMessage(), no.getMessage().contains("no voice for xx"));
    }
}
