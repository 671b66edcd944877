/**
 * Pipelines: one capture-and-inference loop per camera, with its figures. Each running pipeline is a
 * {@link org.osprey.api.pipeline.CameraPipeline} service with the property
 * {@value org.osprey.api.pipeline.CameraPipeline#CAMERA_ID}.
 */
@Export
@Version("1.2.0")
package org.osprey.api.pipeline;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
