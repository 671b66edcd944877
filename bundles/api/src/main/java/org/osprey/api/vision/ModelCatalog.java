package org.osprey.api.vision;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What the inference engine made of every model bundle it has seen: the ones serving, the ones
 * replaced by a newer version, and the ones that failed to load with the reason. Registered as a
 * service by the engine; safe to call from any thread.
 */
@ProviderType
public interface ModelCatalog {

    /** One record per installed model bundle, sorted by name, then newest version first. */
    List<ModelRecord> models();

    /**
     * Sessions the engine holds open, including those of removed models still finishing requests.
     * Goes back to its earlier value once a removed model's last request has finished.
     */
    int openSessions();
}
