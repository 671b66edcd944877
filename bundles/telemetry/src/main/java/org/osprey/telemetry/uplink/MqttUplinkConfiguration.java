package org.osprey.telemetry.uplink;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Osprey telemetry: MQTT", description = "Sends every event to an MQTT broker, through a durable outbox.")
public @interface MqttUplinkConfiguration {

    @AttributeDefinition(name = "Broker", description = "tcp://host:1883 (ssl:// for TLS)")
    String broker();

    @AttributeDefinition(name = "Gateway name", description = "topics are osprey/<gateway>/events/<camera> and osprey/<gateway>/status")
    String gateway() default "osprey";

    @AttributeDefinition(name = "Client id", description = "empty: osprey-<gateway>")
    String clientId() default "";

    @AttributeDefinition(name = "User")
    String user() default "";

    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD)
    String _password() default "";

    @AttributeDefinition(name = "CA file", description = "for ssl:// brokers: PEM certificates to trust (a private CA); empty: the JVM's trust store")
    String caFile() default "";

    @AttributeDefinition(name = "Verify hostname", description = "the broker's certificate must name the host; turn off only for testing")
    boolean verifyHostname() default true;

    @AttributeDefinition(name = "Time to live (seconds)", min = "1", description = "undelivered events older than this are dropped (and counted)")
    int ttlSeconds() default 7200;

    @AttributeDefinition(name = "Outbox capacity", min = "1", description = "past this many waiting events the oldest are dropped (and counted)")
    int capacity() default 100_000;

    @AttributeDefinition(name = "Backlog rate (per second)", min = "0", description = "how fast a backlog is sent when the link returns; 0: as fast as it goes")
    double maxPerSecond() default 20;
}
