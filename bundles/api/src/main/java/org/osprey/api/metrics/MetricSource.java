package org.osprey.api.metrics;

import org.osgi.annotation.versioning.ConsumerType;

/** Figures for the metrics endpoint, registered as a service. Asked on every scrape: answer from memory, quickly. */
@ConsumerType
public interface MetricSource {

    /** Writes the current figures. */
    void collect(MetricSink sink);
}
