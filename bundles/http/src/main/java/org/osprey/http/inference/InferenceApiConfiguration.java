package org.osprey.http.inference;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Osprey inference API",
        description = "POST /image, /url (Azure Custom Vision format) and /v1/vision/detection (DeepStack / CodeProject.AI format).")
public @interface InferenceApiConfiguration {

    @AttributeDefinition(name = "Default model",
            description = "Model name used when a request gives no ?model=; empty: the highest-ranked model (the newest, when only one name is installed).")
    String defaultModel() default "";

    @AttributeDefinition(name = "Largest request body (bytes)", min = "1024",
            description = "Larger images are refused with 413 before they are read.")
    long maxBodyBytes() default 8L * 1024 * 1024;

    @AttributeDefinition(name = "URL fetch timeout (seconds)", min = "1",
            description = "How long POST /url waits for the image it was given.")
    int urlTimeoutSeconds() default 10;

    @AttributeDefinition(name = "Allow POST /url",
            description = "POST /url makes the gateway fetch any http(s) URL it is given; turn it off where that is unwanted.")
    boolean urlFetchEnabled() default true;
}
