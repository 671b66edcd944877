/**
 * Speech: turning text into audio, and playing audio.
 * <p>
 * Engines implement {@link org.osprey.api.speech.SpeechSynthesizer}; speakers, files and the browser
 * implement {@link org.osprey.api.speech.AudioOutput}. Both are found through the service registry.
 */
@Export
@Version("1.0.0")
package org.osprey.api.speech;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
