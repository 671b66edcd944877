package org.osprey.inference.onnx.engine;

import java.util.Locale;

import org.osprey.inference.onnx.image.ImageLimits;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;

/** Session options every model session gets, and the largest image decoded, from the typed configuration. */
public record EngineSettings(int intraOpThreads, int interOpThreads, OptLevel optimization, String executionProvider, boolean spinning,
        ImageLimits imageLimits) {

    public static final EngineSettings DEFAULTS = new EngineSettings(1, 0, OptLevel.ALL_OPT, "cpu", false, ImageLimits.DEFAULTS);

    /** Accepts the names users write (none, basic, extended, all). */
    public static OptLevel optimization(String name) {
        switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "none":
                return OptLevel.NO_OPT;
            case "basic":
                return OptLevel.BASIC_OPT;
            case "extended":
                return OptLevel.EXTENDED_OPT;
            case "all":
                return OptLevel.ALL_OPT;
            default:
                throw new IllegalArgumentException("optimization level must be none, basic, extended or all, was " + name);
        }
    }
}
