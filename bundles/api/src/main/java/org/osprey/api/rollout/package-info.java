/**
 * Model rollout: model bundles the gateway is told to have (an IoT Hub twin's desired property
 * {@code models}, the {@code installModel} command, a factory configuration {@code org.osprey.models~NAME}),
 * fetched, verified and installed by the gateway itself. {@link org.osprey.api.rollout.ModelRollout} says
 * where each one stands.
 */
@Export
@Version("1.0.0")
package org.osprey.api.rollout;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
