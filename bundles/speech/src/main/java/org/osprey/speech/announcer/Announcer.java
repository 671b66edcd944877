package org.osprey.speech.announcer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.osprey.api.config.ConfigLists;
import org.osprey.api.event.VisionEvent;
import org.osprey.api.event.VisionEventListener;
import org.osprey.api.speech.Audio;
import org.osprey.api.speech.AudioOutput;
import org.osprey.api.speech.SpeechException;
import org.osprey.api.speech.SpeechRequest;
import org.osprey.api.speech.SpeechSynthesizer;
import org.osprey.api.vision.Model;
import org.osprey.api.vision.ModelInfo;
import org.osprey.speech.cache.SpeechCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says what appears. Events are planned (filters, cooldown, localized word, sentence), then spoken on
 * one thread: synthesis through the cache with the first engine that works, then every output. While a
 * sentence is spoken only the newest waiting one is kept: a burst of events never becomes a backlog.
 * When a model arrives, the sentences for its labels are synthesized ahead, so the first announcement
 * plays at once.
 */
@Component(service = {VisionEventListener.class, Announcer.class}, property = VisionEventListener.EVENT_TYPES + "=appeared",
        configurationPid = "org.osprey.speech.announcer")
@Designate(ocd = AnnouncerConfiguration.class)
public class Announcer implements VisionEventListener {

    private static final Logger LOG = LoggerFactory.getLogger(Announcer.class);

    /** The last announcement, for the speech API. */
    public record Spoken(String text, String engine, Instant eventTime, Duration latency, Audio audio) {
    }

    private final boolean enabled;
    private final Planner planner;
    private final List<String> engineOrder;
    private final Set<String> outputNames;
    private final SpeechCache cache;
    private final Map<String, SpeechSynthesizer> engines = new ConcurrentHashMap<>();
    private final Map<String, AudioOutput> outputs = new ConcurrentHashMap<>();
    private final Map<String, ModelInfo> models = new ConcurrentHashMap<>();
    private final AtomicReference<Runnable> waiting = new AtomicReference<>();
    private final ExecutorService speaker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "osprey-announcer");
        t.setDaemon(true);
        return t;
    });
    private final ExecutorService ahead = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "osprey-announcer-ahead");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong replaced = new AtomicLong();
    private final AtomicLong spokenCount = new AtomicLong();
    private final Map<String, String> fallbacks = new ConcurrentHashMap<>();
    private volatile Spoken last;
    private volatile String lastError;

    @Activate
    public Announcer(BundleContext context, AnnouncerConfiguration config) throws IOException {
        this.enabled = config.enabled();
        Map<String, String> templates = new HashMap<>();
        for (String t : ConfigLists.entries(config.templates())) {
            int eq = t.indexOf('=');
            if (eq > 0) {
                templates.put(t.substring(0, eq).strip(), t.substring(eq + 1).strip());
            }
        }
        this.planner = new Planner(Set.copyOf(ConfigLists.entries(config.labels())), Set.copyOf(ConfigLists.entries(config.models())), config.minScore(),
                Duration.ofSeconds(config.cooldownSeconds()), Locale.forLanguageTag(config.language()), templates);
        this.engineOrder = ConfigLists.entries(config.engines());
        this.outputNames = Set.copyOf(ConfigLists.entries(config.outputs()));
        String data = context.getProperty("osprey.data");
        this.cache = new SpeechCache(Path.of(data == null ? "data" : data, "speech", "cache"), config.cacheMegabytes() * 1024L * 1024);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addEngine(SpeechSynthesizer engine, Map<String, Object> props) {
        engines.put(String.valueOf(props.get(SpeechSynthesizer.ENGINE)), engine);
    }

    void removeEngine(SpeechSynthesizer engine, Map<String, Object> props) {
        engines.remove(String.valueOf(props.get(SpeechSynthesizer.ENGINE)), engine);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addOutput(AudioOutput output, Map<String, Object> props) {
        outputs.put(String.valueOf(props.get(AudioOutput.OUTPUT)), output);
    }

    void removeOutput(AudioOutput output, Map<String, Object> props) {
        outputs.remove(String.valueOf(props.get(AudioOutput.OUTPUT)), output);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addModel(Model model) {
        ModelInfo info = model.info();
        models.put(info.name(), info);
        if (enabled) {
            // the labels of a new model are said ahead of time, so the first announcement plays at once
            ahead.execute(() -> info.labels().forEach(l -> {
                try {
                    synthesize(planner.sentence(l, info));
                } catch (SpeechException e) {
                    // reported when it is really said
                }
            }));
        }
    }

    void removeModel(Model model) {
        models.remove(model.info().name(), model.info());
    }

    @Override
    public void onEvent(VisionEvent event) {
        if (!enabled) {
            return;
        }
        String text = planner.sentence(event, models.get(event.modelName()), Instant.now());
        if (text == null) {
            return;
        }
        Runnable job = () -> say(text, event.time());
        if (waiting.getAndSet(job) != null) {
            replaced.incrementAndGet();
        }
        speaker.execute(() -> {
            Runnable next = waiting.getAndSet(null);
            if (next != null) {
                next.run();
            }
        });
    }

    private void say(String text, Instant eventTime) {
        try {
            Synthesis s = synthesize(text);
            Duration latency = Duration.between(eventTime, Instant.now());
            last = new Spoken(text, s.engine, eventTime, latency, s.audio);
            spokenCount.incrementAndGet();
            LOG.info("said \"{}\" with {} ({} ms after the event)", text, s.engine, latency.toMillis());
            for (String name : outputNames) {
                AudioOutput out = outputs.get(name);
                if (out != null) {
                    try {
                        out.play(s.audio);
                    } catch (SpeechException e) {
                        fallbacks.put("output " + name, e.getMessage());
                    }
                }
            }
        } catch (SpeechException e) {
            lastError = e.getMessage();
            LOG.warn("cannot say \"{}\": {}", text, e.getMessage());
        }
    }

    private record Synthesis(String engine, Audio audio) {
    }

    /** The first engine in the preferred order that can say it; why the ones before it could not is kept. */
    private Synthesis synthesize(String text) throws SpeechException {
        SpeechRequest request = new SpeechRequest(text, planner.language(), null);
        StringBuilder why = new StringBuilder();
        for (String name : engineOrder) {
            SpeechSynthesizer engine = engines.get(name);
            if (engine == null) {
                fallbacks.putIfAbsent(name, "not installed");
                continue;
            }
            if (!engine.supports(request.locale())) {
                fallbacks.put(name, "no voice for " + request.locale().toLanguageTag());
                continue;
            }
            try {
                Audio audio = cache.speak(engine, name, request);
                fallbacks.remove(name);
                return new Synthesis(name, audio);
            } catch (SpeechException e) {
                fallbacks.put(name, e.getMessage());
                why.append(name).append(": ").append(e.getMessage()).append("; ");
            }
        }
        throw new SpeechException("no engine could say it (" + (why.length() == 0 ? "none available among " + engineOrder : why) + ")");
    }

    public Spoken last() {
        return last;
    }

    /** Figures for the speech API. */
    public Map<String, Object> status() {
        Map<String, Object> s = new HashMap<>();
        s.put("enabled", enabled);
        s.put("language", planner.language().toLanguageTag());
        s.put("engines", engineOrder);
        s.put("installedEngines", engines.keySet());
        s.put("fallbacks", Map.copyOf(fallbacks));
        s.put("spoken", spokenCount.get());
        s.put("replacedInQueue", replaced.get());
        s.put("cache", Map.of("hits", cache.hits(), "misses", cache.misses(), "entries", cache.entries(), "bytes", cache.bytes(),
                "evictions", cache.evictions()));
        Spoken l = last;
        if (l != null) {
            s.put("last", Map.of("text", l.text(), "engine", l.engine(), "latencyMillis", l.latency().toMillis()));
        }
        if (lastError != null) {
            s.put("lastError", lastError);
        }
        return s;
    }

    @Deactivate
    void deactivate() {
        speaker.shutdownNow();
        ahead.shutdownNow();
    }
}
