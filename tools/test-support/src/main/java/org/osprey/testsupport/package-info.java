/**
 * For tests only: a real Mosquitto broker, a test CA, a local IoT Hub endpoint (TLS, SAS tokens, per-device topics) with a mock hub, and a clock the test moves. A bundle, so Pax Exam probes can use it too.
 */
@Export
@Version("1.2.0")
package org.osprey.testsupport;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
