package org.osprey.telemetry.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.osprey.api.telemetry.TelemetryMessage;
import org.osprey.telemetry.forward.Sender;

import com.google.gson.Gson;

/**
 * Publishes messages to an MQTT broker with QoS 1 on {@code osprey/<gateway>/events/<camera>}, returning
 * once the broker acknowledged (PUBACK). The outbox holds the messages across restarts, so the client
 * keeps none of its own. Connects (again) on demand: the forwarder's back-off paces the attempts.
 */
public final class MqttSender implements Sender, AutoCloseable {

    private static final Gson GSON = new Gson();

    private final String broker;
    private final String gateway;
    private final MqttConnectOptions options;
    private final MqttClient client;

    public MqttSender(String broker, String clientId, String gateway, String user, char[] password) throws MqttException {
        this(broker, clientId, gateway, user, password, null, true);
    }

    /**
     * @param caFile         PEM certificates to trust for an {@code ssl://} broker (null: the JVM's trust store)
     * @param verifyHostname check that the broker's certificate names the host connected to (leave on)
     */
    public MqttSender(String broker, String clientId, String gateway, String user, char[] password, java.nio.file.Path caFile,
            boolean verifyHostname) throws MqttException {
        this.broker = broker;
        this.gateway = gateway;
        this.client = new MqttClient(broker, clientId, new MemoryPersistence());
        this.options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(10);
        options.setKeepAliveInterval(30);
        // the broker tells everyone when the gateway is gone: a retained "offline" on its status topic
        options.setWill("osprey/" + gateway + "/status", "offline".getBytes(StandardCharsets.UTF_8), 1, true);
        if (broker.startsWith("ssl://")) {
            options.setHttpsHostnameVerificationEnabled(verifyHostname);
            if (caFile != null) {
                options.setSocketFactory(Tls.trusting(caFile).getSocketFactory());
            }
        }
        if (user != null && !user.isEmpty()) {
            options.setUserName(user);
            options.setPassword(password);
        }
    }

    @Override
    public void send(TelemetryMessage m) throws MqttException {
        if (!client.isConnected()) {
            client.connect(options);
            client.publish("osprey/" + gateway + "/status", "online".getBytes(StandardCharsets.UTF_8), 1, true);
        }
        MqttMessage msg = new MqttMessage(payload(m));
        msg.setQos(1);
        client.publish("osprey/" + gateway + "/events/" + (m.cameraId() == null ? "gateway" : m.cameraId()), msg);
    }

    /** The message as JSON: its id (receivers drop duplicates by it), type, time, properties and the event itself. */
    static byte[] payload(TelemetryMessage m) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", m.id());
        json.put("type", m.type());
        json.put("camera", m.cameraId());
        json.put("created", m.created().toString());
        json.put("properties", m.properties());
        json.put("event", GSON.fromJson(m.payloadText(), Object.class));
        return GSON.toJson(json).getBytes(StandardCharsets.UTF_8);
    }

    public String broker() {
        return broker;
    }

    public boolean connected() {
        return client.isConnected();
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect(2000);
        }
        client.close();
    }
}
