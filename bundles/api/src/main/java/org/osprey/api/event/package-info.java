/**
 * Events: what changed in front of a camera.
 * <p>
 * The pipeline turns inference results into {@link org.osprey.api.event.VisionEvent}s only when
 * something changes, and hands them to every {@link org.osprey.api.event.VisionEventListener} service
 * (whiteboard pattern).
 */
@Export
@Version("1.1.0")
package org.osprey.api.event;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
