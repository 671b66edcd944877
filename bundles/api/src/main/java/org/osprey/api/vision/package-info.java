/**
 * Vision: models and what they see.
 * <p>
 * Each loaded model is a {@link org.osprey.api.vision.Model} service with the properties
 * {@value org.osprey.api.vision.Model#NAME}, {@value org.osprey.api.vision.Model#VERSION} and
 * {@value org.osprey.api.vision.Model#TASK}. When several versions of one name are registered, the
 * highest version also has the highest service ranking, so a plain lookup by name gets the newest.
 * {@link org.osprey.api.vision.ModelCatalog} tells what became of every model bundle, including the
 * ones that failed to load.
 */
@Export
@Version("1.4.0")
package org.osprey.api.vision;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
