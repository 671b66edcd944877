package org.osprey.speech.cache;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osprey.api.speech.Audio;
import org.osprey.api.speech.SpeechRequest;
import org.osprey.api.speech.SpeechSynthesizer;

public class SpeechCacheTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final AtomicInteger syntheses = new AtomicInteger();

    /** A 1000-byte "WAV" per sentence, counting how often it is asked; it waits for {@code gate} first. */
    private SpeechSynthesizer engine(CountDownLatch started, CountDownLatch gate) {
        return new SpeechSynthesizer() {
            @Override
            public boolean supports(Locale locale) {
                return true;
            }

            @Override
            public Audio synthesize(SpeechRequest r) {
                syntheses.incrementAndGet();
                started.countDown();
                try {
                    if (!gate.await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the test never let the synthesis finish");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new Audio(Audio.WAV, ByteBuffer.wrap(new byte[1000]));
            }
        };
    }

    private final SpeechSynthesizer counting = engine(new CountDownLatch(1), new CountDownLatch(0));

    private static SpeechRequest say(String text) {
        return new SpeechRequest(text, Locale.ENGLISH, null);
    }

    @Test
    public void theSecondRequestIsNotSynthesizedAgainEvenAfterARestart() throws Exception {
        SpeechCache cache = new SpeechCache(tmp.getRoot().toPath(), 1_000_000);
        cache.speak(counting, "test", say("I see an apple"));
        cache.speak(counting, "test", say("I see an apple"));
        assertEquals(1, syntheses.get());
        assertEquals(1, cache.hits());
        assertEquals(1, cache.misses());
        cache.speak(counting, "other-engine", say("I see an apple"));
        assertEquals("the engine is part of the key", 2, syntheses.get());

        SpeechCache restarted = new SpeechCache(tmp.getRoot().toPath(), 1_000_000);
        assertEquals(2, restarted.entries());
        restarted.speak(counting, "test", say("I see an apple"));
        assertEquals("served from the disk after a restart", 2, syntheses.get());
    }

    @Test
    public void evictsTheLeastRecentlyUsedBeyondTheBound() throws Exception {
        SpeechCache cache = new SpeechCache(tmp.getRoot().toPath(), 3500);
        cache.speak(counting, "e", say("one"));
        cache.speak(counting, "e", say("two"));
        cache.speak(counting, "e", say("three"));
        cache.speak(counting, "e", say("one"));
        cache.speak(counting, "e", say("four"));
        assertEquals(3, cache.entries());
        assertTrue(cache.bytes() <= 3500);
        assertEquals(1, cache.evictions());
        int before = syntheses.get();
        cache.speak(counting, "e", say("one"));
        assertEquals("'one' was used recently and stayed", before, syntheses.get());
        cache.speak(counting, "e", say("two"));
        assertEquals("'two' was the least recently used and went", before + 1, syntheses.get());
    }

    /** The announcer and the ahead-of-time synthesis asking for the same sentence at once: it is made once. */
    @Test
    public void concurrentRequestsForOneSentenceSynthesizeItOnce() throws Exception {
        SpeechCache cache = new SpeechCache(tmp.getRoot().toPath(), 1_000_000);
        CountDownLatch started = new CountDownLatch(1), gate = new CountDownLatch(1);
        SpeechSynthesizer held = engine(started, gate);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<?> first = threads.submit(() -> cache.speak(held, "e", say("I see face")));
            assertTrue("the first request reached the engine", started.await(10, TimeUnit.SECONDS));
            // the second asks while the first is still being synthesized: it waits for it instead of asking the engine
            java.util.concurrent.atomic.AtomicReference<Thread> second = new java.util.concurrent.atomic.AtomicReference<>();
            Future<?> other = threads.submit(() -> {
                second.set(Thread.currentThread());
                return cache.speak(held, "e", say("I see face"));
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((second.get() == null || second.get().getState() == Thread.State.RUNNABLE) && !other.isDone() && System.nanoTime() < deadline) {
                Thread.onSpinWait(); // until the second request is waiting (or done), with a deadline
            }
            gate.countDown();
            first.get(10, TimeUnit.SECONDS);
            other.get(10, TimeUnit.SECONDS);
        } finally {
            gate.countDown();
            threads.shutdownNow();
        }
        assertEquals(1, syntheses.get());
        assertEquals(1, cache.hits());
    }
}
