package org.osprey.speech.announcer;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osgi.framework.BundleContext;
import org.osprey.api.event.EventType;
import org.osprey.api.event.VisionEvent;
import org.osprey.api.speech.Audio;
import org.osprey.api.speech.SpeechRequest;
import org.osprey.api.speech.SpeechSynthesizer;
import org.osprey.api.vision.ModelInfo;
import org.osprey.api.vision.Task;

public class AnnouncerTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static final ModelInfo FRUIT = new ModelInfo("fruit", "1.0.0", Task.CLASSIFICATION, List.of("apple", "pear"),
            Map.of("fr", List.of("une pomme", "une poire")), 224, 224);

    private static VisionEvent appeared(String label, float score) {
        return VisionEvent.builder(EventType.APPEARED, "shop", label).detection(score, null).model("fruit", "1.0.0").build();
    }

    @Test
    public void saysEachLabelOncePerCooldownInTheUsersLanguage() {
        Planner p = new Planner(Set.of(), Set.of(), 0.5f, Duration.ofSeconds(60), Locale.FRENCH,
                Map.of("en", "I see {label}", "fr", "Je vois {label}"));
        Instant t = Instant.parse("2026-11-23T10:00:00Z");
        assertEquals("Je vois une pomme", p.sentence(appeared("apple", 0.9f), FRUIT, t));
        assertNull("the same apple held up again: cooldown", p.sentence(appeared("apple", 0.9f), FRUIT, t.plusSeconds(30)));
        assertEquals("Je vois une poire", p.sentence(appeared("pear", 0.9f), FRUIT, t.plusSeconds(31)));
        assertEquals("Je vois une pomme", p.sentence(appeared("apple", 0.9f), FRUIT, t.plusSeconds(61)));
        assertNull("below the score", p.sentence(appeared("pear", 0.3f), FRUIT, t.plusSeconds(200)));
        VisionEvent left = VisionEvent.builder(EventType.LEFT, "shop", "pear").model("fruit", "1.0.0").build();
        assertNull("only appearances are said", p.sentence(left, FRUIT, t.plusSeconds(300)));
    }

    @Test
    public void fallsBackToTheLabelWithoutATranslation() {
        Planner p = new Planner(Set.of(), Set.of(), 0f, Duration.ZERO, Locale.GERMAN, Map.of("de", "Ich sehe {label}"));
        assertEquals("Ich sehe apple", p.sentence(appeared("apple", 1f), FRUIT, Instant.now()));
        Planner ptBr = new Planner(Set.of(), Set.of(), 0f, Duration.ZERO, Locale.forLanguageTag("fr-CA"), Map.of("fr", "Je vois {label}"));
        assertEquals("a regional language uses its language's words", "Je vois une poire", ptBr.sentence(appeared("pear", 1f), FRUIT, Instant.now()));
    }

    /** A burst while the engine is busy: only the newest waiting sentence is said afterwards. */
    @Test
    public void aBurstDoesNotBecomeABacklog() throws Exception {
        CountDownLatch speaking = new CountDownLatch(1), busy = new CountDownLatch(1);
        List<String> said = new CopyOnWriteArrayList<>();
        SpeechSynthesizer slow = new SpeechSynthesizer() {
            @Override
            public boolean supports(Locale l) {
                return true;
            }

            @Override
            public Audio synthesize(SpeechRequest r) {
                speaking.countDown();
                try {
                    busy.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                said.add(r.text());
                return new Audio(Audio.WAV, ByteBuffer.wrap(new byte[100]));
            }
        };
        Announcer a = new Announcer(context(), config());
        try {
            a.addEngine(slow, Map.of(SpeechSynthesizer.ENGINE, "espeak-ng"));
            a.onEvent(appeared("thing-0", 0.9f));
            assertTrue("the first sentence is being said", speaking.await(10, TimeUnit.SECONDS));
            for (int i = 1; i < 50; i++) {
                a.onEvent(appeared("thing-" + i, 0.9f));
            }
            busy.countDown();
            awaitSaid(said, 2);
            assertEquals("the first, then only the newest: " + said, List.of("I see thing-0", "I see thing-49"), said);
            // nothing else was waiting: a sentence asked now is the very next one said
            a.onEvent(appeared("marker", 0.9f));
            awaitSaid(said, 3);
            assertEquals(List.of("I see thing-0", "I see thing-49", "I see marker"), said);
            assertTrue((long) a.status().get("replacedInQueue") >= 47);
        } finally {
            busy.countDown();
            a.deactivate();
        }
    }

    private static void awaitSaid(List<String> said, int n) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        while (said.size() < n && System.currentTimeMillis() < deadline) {
            Thread.sleep(20); // polled, with a deadline
        }
        assertTrue("said " + n + " sentences: " + said, said.size() >= n);
    }

    /** The preferred engine fails (a bad key, no network): the next one speaks, and the status says why. */
    @Test
    public void fallsBackToTheNextEngineAndSaysWhy() throws Exception {
        List<String> said = new CopyOnWriteArrayList<>();
        SpeechSynthesizer failing = new SpeechSynthesizer() {
            @Override
            public boolean supports(Locale l) {
                return true;
            }

            @Override
            public Audio synthesize(SpeechRequest r) throws org.osprey.api.speech.SpeechException {
                throw new org.osprey.api.speech.SpeechException("Azure Speech: AuthenticationFailure");
            }
        };
        SpeechSynthesizer offline = new SpeechSynthesizer() {
            @Override
            public boolean supports(Locale l) {
                return true;
            }

            @Override
            public Audio synthesize(SpeechRequest r) {
                said.add(r.text());
                return new Audio(Audio.WAV, ByteBuffer.wrap(new byte[100]));
            }
        };
        Announcer a = new Announcer(context(), config());
        a.addEngine(failing, Map.of(SpeechSynthesizer.ENGINE, "azure"));
        a.addEngine(offline, Map.of(SpeechSynthesizer.ENGINE, "espeak-ng"));
        a.onEvent(appeared("apple", 0.9f));
        long deadline = System.currentTimeMillis() + 5000;
        while (a.last() == null && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertEquals("espeak-ng", a.last().engine());
        assertEquals(List.of("I see apple"), said);
        assertEquals("Azure Speech: AuthenticationFailure", ((Map<?, ?>) a.status().get("fallbacks")).get("azure"));
        a.deactivate();
    }

    private BundleContext context() {
        String data = tmp.getRoot().getAbsolutePath();
        return (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(), new Class<?>[] {BundleContext.class},
                (p, m, args) -> m.getName().equals("getProperty") && "osprey.data".equals(args[0]) ? data : null);
    }

    private static AnnouncerConfiguration config() {
        Map<String, Object> v = new HashMap<>();
        v.put("enabled", true);
        v.put("language", "en");
        v.put("templates", new String[] {"en=I see {label}"});
        v.put("labels", new String[0]);
        v.put("models", new String[0]);
        v.put("minScore", 0.5f);
        v.put("cooldownSeconds", 60);
        v.put("engines", new String[] {"azure", "espeak-ng"});
        v.put("outputs", new String[0]);
        v.put("cacheMegabytes", 1);
        return (AnnouncerConfiguration) Proxy.newProxyInstance(AnnouncerConfiguration.class.getClassLoader(),
                new Class<?>[] {AnnouncerConfiguration.class}, (p, m, a) -> v.get(m.getName()));
    }
}
