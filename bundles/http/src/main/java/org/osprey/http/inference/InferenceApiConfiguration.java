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

    @AttributeDefinition(name = "Request body timeout (seconds)", min = "1",
            description = "A request's whole body must arrive within this; a slower client gets 408. No server thread waits for it meanwhile.")
    int bodyTimeoutSeconds() default 30;

    @AttributeDefinition(name = "URL fetch timeout (seconds)", min = "1",
            description = "The whole fetch of POST /url (redirects, headers and body) ends within this.")
    int urlTimeoutSeconds() default 10;

    @AttributeDefinition(name = "URL fetch: also refuse", required = false,
            description = "CIDRs POST /url never fetches from, beside those it refuses anyway (loopback, link-local and the cloud"
                    + " metadata address, multicast, this gateway's own addresses); e.g. 10.0.0.0/8. Private ranges are allowed otherwise.")
    String[] urlDeny() default {};

    @AttributeDefinition(name = "URL fetch: allow", required = false,
            description = "CIDRs POST /url may fetch from although it would refuse them, e.g. 127.0.0.1/32 for a camera proxy on this host.")
    String[] urlAllow() default {};

    @AttributeDefinition(name = "Allow POST /url",
            description = "POST /url makes the gateway fetch any http(s) URL it is given; turn it off where that is unwanted.")
    boolean urlFetchEnabled() default true;

    @AttributeDefinition(name = "Authentication", description = "none: anyone on the network may ask (what Custom Vision and DeepStack "
            + "clients expect); token: an API token with the infer (or admin) scope, as Authorization: Bearer <token> or DeepStack's api_key form field",
            options = {@org.osgi.service.metatype.annotations.Option(value = "none", label = "none"),
                @org.osgi.service.metatype.annotations.Option(value = "token", label = "API token (scope infer)")})
    String inferenceAuth() default "none";
}
