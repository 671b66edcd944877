package org.osprey.runtime.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

import org.junit.Test;

import com.google.gson.JsonObject;

/**
 * The whole path in the real gateway: the sample camera's face appears, the announcer makes a sentence,
 * espeak-ng (from the OS) says it, the audio is cached, written to data/speech/last.wav, and served at
 * /api/v1/speech/last. Azure Speech (installed, no key) is skipped with the reason in the status; there
 * is no sound device here either, which the status also reports.
 */
public class SpeechIT extends OspreyTestSupport {

    @Test
    public void aFaceAppearsAndIsSaid() throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        JsonObject status = null;
        while (System.currentTimeMillis() < deadline) {
            HttpAnswer a = get("/api/v1/speech", ADMIN_PASSWORD);
            if (a.status == 200) {
                status = InferenceIT.json(a);
                if (status.get("spoken").getAsLong() > 0) {
                    break;
                }
            }
            Thread.sleep(200);
        }
        assertTrue("something was said: " + status, status != null && status.get("spoken").getAsLong() > 0);
        JsonObject last = status.getAsJsonObject("last");
        assertEquals("I see face", last.get("text").getAsString());
        assertEquals("espeak-ng", last.get("engine").getAsString());
        // Azure is installed but has no key here: the offline engine speaks and the status says why
        assertTrue(status.toString(), status.getAsJsonObject("fallbacks").get("azure").getAsString().contains("no key and region configured"));
        // no sound device on this machine (no /dev/snd): the speaker says so in the status, the WAV output still works
        deadline = System.currentTimeMillis() + 30_000;
        while (!status.getAsJsonObject("fallbacks").has("output speaker") && System.currentTimeMillis() < deadline) {
            Thread.sleep(200); // polled until the first sentence was played (or not), with a deadline
            status = InferenceIT.json(get("/api/v1/speech", ADMIN_PASSWORD));
        }
        assertTrue("the missing sound device is reported: " + status, status.getAsJsonObject("fallbacks").has("output speaker")
                && status.getAsJsonObject("fallbacks").get("output speaker").getAsString().startsWith("no sound device to play on"));
        System.out.println("SpeechIT: event to audio ready in " + last.get("latencyMillis").getAsLong() + " ms; status " + status);

        HttpURLConnection c = (HttpURLConnection) new URL("http://localhost:" + System.getProperty(PORT_PROPERTY) + "/api/v1/speech/last").openConnection();
        c.setRequestProperty("Authorization", "Basic " + Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)));
        assertEquals(200, c.getResponseCode());
        assertEquals("audio/wav", c.getContentType());
        byte[] wav;
        try (InputStream in = c.getInputStream()) {
            wav = in.readAllBytes();
        }
        try (AudioInputStream audio = AudioSystem.getAudioInputStream(new ByteArrayInputStream(wav))) {
            double seconds = audio.getFrameLength() / audio.getFormat().getFrameRate();
            assertTrue("a short sentence: " + seconds + " s", seconds > 0.3 && seconds < 5);
        }
        Path file = Path.of(context.getProperty("osprey.data"), "speech", "last.wav");
        assertTrue(file + " written by the WAV output", Files.size(file) > 44);
        assertTrue("the sentence is in the cache", InferenceIT.json(get("/api/v1/speech", ADMIN_PASSWORD)).getAsJsonObject("cache").get("entries").getAsInt() > 0);
    }
}
