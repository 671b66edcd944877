package org.osprey.telemetry.iothub;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Osprey telemetry: Azure IoT Hub", description = "Sends every event to Azure IoT Hub (through the durable outbox); "
        + "the twin's desired properties configure the gateway, direct methods call its commands. Inside IoT Edge it runs as the module with no configuration.")
public @interface IotHubConfiguration {

    @AttributeDefinition(name = "Connection string", type = AttributeType.PASSWORD,
            description = "HostName=...;DeviceId=...;SharedAccessKey=... (a device; with ModuleId=..., a module). Empty: the IoT Edge module identity when the IOTEDGE_* variables are set, otherwise off")
    String _connectionString() default "";

    @AttributeDefinition(name = "CA file", description = "PEM certificates to trust instead of Azure's (a nested edge gateway, a test hub); empty: Azure's")
    String caFile() default "";

    @AttributeDefinition(name = "Twin configures the gateway", description = "apply desired properties to Osprey's configuration (see the README for the mapping)")
    boolean twinConfiguration() default true;

    @AttributeDefinition(name = "Report interval (seconds)", min = "1", description = "how often reported properties are checked; they are sent only when something changed")
    int reportSeconds() default 10;
}
