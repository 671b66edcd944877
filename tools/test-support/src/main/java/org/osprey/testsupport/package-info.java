/**
 * For tests only: a real Mosquitto broker, a test CA, a mock IoT Hub and a clock the test moves. A bundle, so Pax Exam probes can use it too.
 */
@Export
@Version("1.1.0")
package org.osprey.testsupport;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
