/**
 * Cameras: services that deliver {@link org.osprey.api.camera.Frame frames}.
 * <p>
 * A camera bundle registers one {@link org.osprey.api.camera.FrameSource} service per configured
 * camera, with the service property {@value org.osprey.api.camera.FrameSource#CAMERA_ID}. Third-party
 * camera bundles implement this package and nothing else.
 */
@Export
@Version("1.2.0")
package org.osprey.api.camera;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
