package org.osprey.telemetry.mqtt;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Osprey telemetry: MQTT", description = "Sends every event to an MQTT broker (through the durable outbox) and takes commands from it.")
public @interface MqttUplinkConfiguration {

    @AttributeDefinition(name = "Broker", description = "tcp://host:1883, or ssl://host:8883 for TLS")
    String broker();

    @AttributeDefinition(name = "Gateway name", description = "topics are osprey/<gateway>/events/<camera>, .../status, .../cmd/<command> and .../reply/<command>")
    String gateway() default "osprey";

    @AttributeDefinition(name = "Client id", description = "empty: osprey-<gateway>")
    String clientId() default "";

    @AttributeDefinition(name = "User", description = "user name at the broker; empty: none")
    String user() default "";

    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD, description = "password at the broker; never logged")
    String _password() default "";

    @AttributeDefinition(name = "CA file", description = "for ssl:// brokers: PEM certificates to trust (a private CA); empty: the JVM's trust store")
    String caFile() default "";

    @AttributeDefinition(name = "Client certificate file", description = "for ssl:// brokers that authenticate clients by certificate: the PEM certificate (chain)")
    String certFile() default "";

    @AttributeDefinition(name = "Client key file", description = "the client certificate's private key: PEM, unencrypted PKCS#8 (BEGIN PRIVATE KEY)")
    String keyFile() default "";

    @AttributeDefinition(name = "Verify hostname", description = "the broker's certificate must name the host; turn off only for testing")
    boolean verifyHostname() default true;

    @AttributeDefinition(name = "Commands", description = "take commands on osprey/<gateway>/cmd/<command> (getStatus, selectModel, ...); restrict who may publish there with the broker's ACLs")
    boolean commands() default true;

    @AttributeDefinition(name = "Home Assistant discovery", description = "publish retained Home Assistant MQTT discovery configs: for each camera "
            + "and label, and each zone, an occupancy binary_sensor and a count sensor, with their states on osprey/<gateway>/<camera>/<label>/count")
    boolean homeAssistant() default false;

    @AttributeDefinition(name = "Discovery prefix", description = "Home Assistant's discovery prefix (its MQTT integration's setting)")
    String discoveryPrefix() default "homeassistant";

    @AttributeDefinition(name = "Event pictures", description = "the latest event picture of each camera and label as a retained JPEG on "
            + "osprey/<gateway>/<camera>/<label>/snapshot")
    boolean snapshots() default false;

    @AttributeDefinition(name = "Largest picture (kB)", description = "event pictures above this size are not sent", min = "1")
    int snapshotMaxKilobytes() default 512;
}
