/**
 * For tests only: a real Mosquitto broker and a test CA. A bundle, so Pax Exam probes can use it too.
 */
@Export
@Version("1.0.0")
package org.osprey.testsupport;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
