/**
 * Commands the gateway answers from afar: an MQTT message on {@code osprey/<gateway>/cmd/<name>}, an
 * Azure IoT Hub direct method. Each command is a {@link org.osprey.api.command.GatewayCommand} service
 * with the property {@value org.osprey.api.command.GatewayCommand#NAME}; the uplinks find them in the
 * service registry, so a bundle adds a command by registering one.
 */
@Export
@Version("1.0.0")
package org.osprey.api.command;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
