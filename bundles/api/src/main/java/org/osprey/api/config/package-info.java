/**
 * Helpers for reading typed configuration (Declarative Services component property types) the way the
 * web console, {@code .cfg} files and the module twin actually write it.
 */
@Export
@Version("1.0.0")
package org.osprey.api.config;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
