/**
 * Metrics: bundles with figures to show register a {@link org.osprey.api.metrics.MetricSource}; the
 * gateway's metrics endpoint ({@code GET /api/v1/metrics}, Prometheus text format) asks each of them on
 * every scrape.
 */
@Export
@Version("1.0.0")
package org.osprey.api.metrics;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
