package org.osprey.api.metrics;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Takes figures, Prometheus-style: a name ({@code osprey_uplink_sent_total}, letters, digits and
 * {@code _}), a help text, a value, and labels as name, value pairs. The same name may be given several
 * times with different labels.
 */
@ProviderType
public interface MetricSink {

    /** A count that only goes up (restarts aside); by convention its name ends in {@code _total}. */
    void counter(String name, String help, double value, String... labels);

    /** A value that goes up and down. */
    void gauge(String name, String help, double value, String... labels);
}
