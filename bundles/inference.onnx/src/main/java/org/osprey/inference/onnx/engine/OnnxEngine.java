package org.osprey.inference.onnx.engine;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.osprey.inference.onnx.image.ImageDecoders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;

/**
 * ONNX Runtime for the whole gateway: one environment (its natives are loaded once, by this bundle's
 * class loader), the session options from configuration, the image decoders, and a count of the
 * sessions open, so a leak across model swaps shows.
 */
public final class OnnxEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OnnxEngine.class);

    private final OrtEnvironment env;
    private final EngineSettings settings;
    private final ImageDecoders images;
    private final AtomicInteger openSessions = new AtomicInteger();
    private final String provider;

    public OnnxEngine(EngineSettings settings) {
        this.env = OrtEnvironment.getEnvironment();
        this.settings = settings;
        this.images = new ImageDecoders(settings.imageLimits());
        this.provider = provider(settings.executionProvider());
        LOG.info("ONNX Runtime {} ready (execution provider {}, intra-op threads {}, optimisation {})",
                env.getVersion(), provider, settings.intraOpThreads() == 0 ? "auto" : settings.intraOpThreads(),
                settings.optimization());
    }

    private static String provider(String wanted) {
        String w = wanted.strip().toLowerCase(Locale.ROOT);
        if (w.equals("cpu")) {
            return "cpu";
        }
        EnumSet<OrtProvider> available = OrtEnvironment.getAvailableProviders();
        for (OrtProvider p : available) {
            if (p.name().toLowerCase(Locale.ROOT).startsWith(w)) {
                return w;
            }
        }
        LOG.warn("execution provider '{}' is not in this ONNX Runtime build (it has {}); using the CPU", wanted, available);
        return "cpu";
    }

    public OrtEnvironment environment() {
        return env;
    }

    public ImageDecoders images() {
        return images;
    }

    public int openSessions() {
        return openSessions.get();
    }

    /** A new session on the model's bytes; counted until {@link #close(OrtSession)}. */
    public OrtSession open(byte[] model) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(settings.optimization());
            if (settings.intraOpThreads() > 0) {
                options.setIntraOpNumThreads(settings.intraOpThreads());
            }
            if (!settings.spinning()) {
                // idle pool threads sleep instead of spinning: the CPU goes to decoding and to concurrent requests
                options.addConfigEntry("session.intra_op.allow_spinning", "0");
                options.addConfigEntry("session.inter_op.allow_spinning", "0");
            }
            if (settings.interOpThreads() > 0) {
                options.setInterOpNumThreads(settings.interOpThreads());
            }
            // ONNX Runtime's own warnings (unused initializers...) are noise to users; errors still surface
            options.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            switch (provider) {
                case "xnnpack" -> options.addXnnpack(Map.of());
                case "cuda" -> options.addCUDA();
                default -> {
                }
            }
            OrtSession session = env.createSession(model, options);
            openSessions.incrementAndGet();
            return session;
        }
    }

    public void close(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            LOG.warn("closing an ONNX Runtime session failed: {}", e.getMessage());
        } finally {
            openSessions.decrementAndGet();
        }
    }

    /** Sessions are closed by their models as their last request finishes; this releases the decoders. */
    @Override
    public void close() {
        images.close();
    }
}
