package org.osprey.rollout;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Osprey model rollout", description = "How the gateway fetches the model bundles it is told to have "
        + "(twin property 'models', the installModel command, configurations org.osprey.models~NAME).")
public @interface RolloutConfiguration {

    @AttributeDefinition(name = "CA file", description = "PEM certificates of CAs to trust besides the JVM's trust store, for "
            + "servers with a private CA. Empty: the JVM's trust store only.")
    String caFile() default "";

    @AttributeDefinition(name = "Largest download (MB)", description = "A model bundle larger than this is refused.", min = "1")
    int maxMegabytes() default 1024;

    @AttributeDefinition(name = "Timeout (seconds)", description = "A connection, or a download that receives nothing for this long, "
            + "fails and is tried again later.", min = "1")
    int timeoutSeconds() default 30;

    @AttributeDefinition(name = "Longest pause between attempts (seconds)", description = "Failed downloads are tried again after "
            + "5 s, 10 s, 20 s ... up to this.", min = "1")
    int maxBackoffSeconds() default 300;

    @AttributeDefinition(name = "Allow plain HTTP", description = "Also fetch http:// URLs. Unsafe outside a trusted network: the SHA-256 "
            + "still protects the contents, but not from someone who can change the wanted hash too.")
    boolean allowHttp() default false;
}
