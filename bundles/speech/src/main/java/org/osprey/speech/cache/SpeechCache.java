package org.osprey.speech.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.osprey.api.speech.Audio;
import org.osprey.api.speech.SpeechException;
import org.osprey.api.speech.SpeechRequest;
import org.osprey.api.speech.SpeechSynthesizer;

/**
 * Synthesized sentences on disk, one WAV file per engine, voice, language and text, bounded in size with
 * least-recently-used eviction; what is there survives restarts (a file's modification time records its
 * last use). Thread-safe.
 */
public final class SpeechCache {

    private final Path dir;
    private final long maxBytes;
    /** key -> size, in least-recently-used order. */
    private final LinkedHashMap<String, Long> index = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final AtomicLong evictions = new AtomicLong();

    public SpeechCache(Path dir, long maxBytes) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.maxBytes = maxBytes;
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> wavs = files.filter(p -> p.toString().endsWith(".wav")).sorted(Comparator.comparing(SpeechCache::modified)).toList();
            for (Path p : wavs) {
                long size = Files.size(p);
                index.put(p.getFileName().toString().replace(".wav", ""), size);
                bytes += size;
            }
        }
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    static String key(String engine, SpeechRequest r) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest((engine + '\n' + r.voice() + '\n' + r.locale().toLanguageTag() + '\n'
                    + r.text()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One lock per sentence being made: a second request for it waits and then reads the cache. */
    private final java.util.concurrent.ConcurrentHashMap<String, Object> making = new java.util.concurrent.ConcurrentHashMap<>();

    /** The cached audio, or a new synthesis (then cached) when there is none; a sentence is synthesized once. */
    public Audio speak(SpeechSynthesizer engine, String engineName, SpeechRequest request) throws SpeechException {
        String key = key(engineName, request);
        Object lock = making.computeIfAbsent(key, k -> new Object());
        try {
            synchronized (lock) {
                return speakLocked(engine, engineName, request, key);
            }
        } finally {
            making.remove(key, lock);
        }
    }

    private Audio speakLocked(SpeechSynthesizer engine, String engineName, SpeechRequest request, String key) throws SpeechException {
        Path file = dir.resolve(key + ".wav");
        synchronized (this) {
            if (index.get(key) != null) {
                try {
                    byte[] wav = Files.readAllBytes(file);
                    Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
                    hits.incrementAndGet();
                    return new Audio(Audio.WAV, ByteBuffer.wrap(wav));
                } catch (IOException e) {
                    // gone from under us: synthesize again
                    forget(key);
                }
            }
        }
        misses.incrementAndGet();
        Audio audio = engine.synthesize(request);
        byte[] wav = new byte[audio.size()];
        audio.bytes().get(wav);
        try {
            Path tmp = dir.resolve(key + ".tmp");
            Files.write(tmp, wav);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            synchronized (this) {
                Long old = index.put(key, (long) wav.length);
                bytes += wav.length - (old == null ? 0 : old);
                evict();
            }
        } catch (IOException e) {
            // a full disk costs the cache, not the announcement
        }
        return audio;
    }

    private void evict() throws IOException {
        Iterator<Map.Entry<String, Long>> it = index.entrySet().iterator();
        while (bytes > maxBytes && it.hasNext()) {
            Map.Entry<String, Long> oldest = it.next();
            Files.deleteIfExists(dir.resolve(oldest.getKey() + ".wav"));
            bytes -= oldest.getValue();
            it.remove();
            evictions.incrementAndGet();
        }
    }

    private void forget(String key) {
        Long size = index.remove(key);
        if (size != null) {
            bytes -= size;
        }
    }

    public long hits() {
        return hits.get();
    }

    public long misses() {
        return misses.get();
    }

    public long evictions() {
        return evictions.get();
    }

    public synchronized long bytes() {
        return bytes;
    }

    public synchronized int entries() {
        return index.size();
    }
}
