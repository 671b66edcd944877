package org.osprey.runtime.it;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.google.gson.JsonObject;

/**
 * Clients that post an image to {@code POST /image} without pause, recording every failure and which
 * model version answered when, until closed.
 */
final class ImageClients implements AutoCloseable {

    /** One answer: when it completed, and the model version that gave it. */
    record Answer(long nanoTime, String version) {
    }

    private final AtomicBoolean stop = new AtomicBoolean();
    private final ExecutorService pool;
    final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    final List<Answer> answers = Collections.synchronizedList(new ArrayList<>());

    ImageClients(int clients, byte[] image, int expectedPredictions) {
        pool = Executors.newFixedThreadPool(clients);
        for (int i = 0; i < clients; i++) {
            pool.execute(() -> {
                while (!stop.get()) {
                    try {
                        OspreyTestSupport.HttpAnswer a = OspreyTestSupport.post("/image", "image/png", image, null);
                        JsonObject body = InferenceIT.json(a);
                        if (a.status != 200 || body.getAsJsonArray("predictions").size() != expectedPredictions) {
                            failures.add(a.status + " " + a.body);
                        } else {
                            answers.add(new Answer(System.nanoTime(), body.get("iteration").getAsString()));
                        }
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
            });
        }
    }

    /** The versions of the answers completed later than {@code settleMillis} after {@code since}. */
    List<String> versionsAfter(long since, long settleMillis) {
        long settled = since + TimeUnit.MILLISECONDS.toNanos(settleMillis);
        synchronized (answers) {
            return answers.stream().filter(a -> a.nanoTime() > settled).map(Answer::version).toList();
        }
    }

    /**
     * Waits (up to a minute) until {@code count} answers completed later than {@code settleMillis} after
     * {@code since}; returns their versions.
     */
    List<String> awaitVersionsAfter(long since, long settleMillis, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        for (List<String> versions;; Thread.sleep(20)) {
            versions = versionsAfter(since, settleMillis);
            if (versions.size() >= count) {
                return versions;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(versions.size() + " of " + count + " answers in a minute; failures: " + failures);
            }
        }
    }

    @Override
    public void close() {
        stop.set(true);
        pool.shutdown();
        try {
            if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("clients did not stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
