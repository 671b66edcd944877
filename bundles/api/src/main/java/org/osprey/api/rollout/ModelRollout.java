package org.osprey.api.rollout;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where the rollout of each wanted model stands. Registered as a service by the bundle that rolls models
 * out; safe to call from any thread.
 */
@ProviderType
public interface ModelRollout {

    /** The factory PID of the configurations that name the models to have; the instance name is the model's name. */
    String FACTORY_PID = "org.osprey.models";

    /** Per model name, the rollout of its wanted version, sorted by name. */
    Map<String, RolloutStatus> status();
}
