package org.osprey.inference.onnx.extender;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(name = "Osprey ONNX Runtime",
        description = "Session options for every model, and the largest image decoded. Changing them reloads the models.")
public @interface OnnxRuntimeConfiguration {

    @AttributeDefinition(name = "Intra-op threads", min = "0",
            description = "Threads one inference may use; 0 lets ONNX Runtime use one per core. 1 suits small models"
                    + " served to several clients (requests run in parallel instead); raise it for one large model.")
    int intraOpThreads() default 1;

    @AttributeDefinition(name = "Inter-op threads", min = "0",
            description = "Threads for running independent graph nodes in parallel; 0 = ONNX Runtime's default.")
    int interOpThreads() default 0;

    @AttributeDefinition(name = "Graph optimisation", options = {
            @Option(label = "none", value = "none"), @Option(label = "basic", value = "basic"),
            @Option(label = "extended", value = "extended"), @Option(label = "all", value = "all")})
    String optimization() default "all";

    @AttributeDefinition(name = "Spin-wait",
            description = "Let idle ONNX Runtime threads spin for work: slightly lower latency for large models, CPU burnt otherwise.")
    boolean spinning() default false;

    @AttributeDefinition(name = "Execution provider",
            description = "cpu, or xnnpack / cuda where this ONNX Runtime build has them (else the CPU, with a warning).", options = {
                @Option(label = "CPU", value = "cpu"), @Option(label = "XNNPACK", value = "xnnpack"), @Option(label = "CUDA", value = "cuda")})
    String executionProvider() default "cpu";

    @AttributeDefinition(name = "Largest image (megapixels)", min = "0.01",
            description = "Images whose header declares more pixels are refused (400 image_too_large) before any decoding.")
    double maxImageMegapixels() default 40.0;

    @AttributeDefinition(name = "Longest image side (pixels)", min = "1",
            description = "Images wider or taller than this are refused the same way.")
    int maxImageSide() default 20_000;
}
