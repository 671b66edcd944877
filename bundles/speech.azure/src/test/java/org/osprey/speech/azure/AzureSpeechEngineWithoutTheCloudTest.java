package org.osprey.speech.azure;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.junit.Test;
import org.osprey.api.speech.SpeechException;
import org.osprey.api.speech.SpeechRequest;

/**
 * The Azure engine with the real Azure Speech SDK. The Azure cloud itself cannot be reached from where
 * Osprey is built: these tests check the requests Osprey makes and how the failures read, not a voice.
 */
public class AzureSpeechEngineWithoutTheCloudTest {

    private static AzureSpeechEngine engine(String key, String region) {
        Map<String, Object> v = new HashMap<>();
        v.put("key", key);
        v.put("region", region);
        v.put("endpoint", "");
        v.put("voices", new String[] {"en=en-US-JennyNeural", "fr=fr-FR-DeniseNeural", "pt-BR=pt-BR-FranciscaNeural"});
        v.put("timeoutSeconds", 15);
        return new AzureSpeechEngine((AzureSpeechEngine.Config) Proxy.newProxyInstance(AzureSpeechEngine.Config.class.getClassLoader(),
                new Class<?>[] {AzureSpeechEngine.Config.class}, (p, m, a) -> v.get(m.getName())));
    }

    @Test
    public void ssmlNamesTheLanguageAndVoiceAndEscapesTheText() {
        assertEquals("<speak version=\"1.0\" xmlns=\"http://www.w3.org/2001/10/synthesis\" xml:lang=\"fr-FR\">"
                + "<voice name=\"fr-FR-DeniseNeural\">Je vois &lt;une&gt; pomme &amp; une &quot;poire&quot; d&apos;or</voice></speak>",
                Ssml.of("Je vois <une> pomme & une \"poire\" d'or", Locale.FRANCE, "fr-FR-DeniseNeural"));
    }

    @Test
    public void aVoicePerLanguage() {
        AzureSpeechEngine e = engine("k", "westeurope");
        assertEquals("fr-FR-DeniseNeural", e.voice(Locale.FRENCH));
        assertEquals("fr-FR-DeniseNeural", e.voice(Locale.forLanguageTag("fr-CA")));
        assertEquals("pt-BR-FranciscaNeural", e.voice(Locale.forLanguageTag("pt-BR")));
        assertTrue(e.supports(Locale.ENGLISH));
        assertFalse(e.supports(Locale.JAPANESE));
    }

    @Test
    public void withoutAKeyItSaysSo() {
        SpeechException e = assertThrows(SpeechException.class, () -> engine("", "").synthesize(new SpeechRequest("hello", Locale.ENGLISH, null)));
        assertTrue(e.getMessage(), e.getMessage().contains("no key and region configured"));
    }

    /** The real SDK against the unreachable cloud (no network here): a clear connection failure, in time. */
    @Test
    public void unreachableCloudGivesAClearErrorQuickly() {
        long start = System.nanoTime();
        SpeechException e = assertThrows(SpeechException.class,
                () -> engine("0123456789abcdef0123456789abcdef", "westeurope").synthesize(new SpeechRequest("I see a face", Locale.ENGLISH, null)));
        assertTrue(e.getMessage(), e.getMessage().startsWith("Azure Speech: ConnectionFailure"));
        assertFalse("the key is not in the message", e.getMessage().contains("0123456789abcdef"));
        assertTrue("within the timeout", (System.nanoTime() - start) / 1_000_000_000 < 15);
    }
}
