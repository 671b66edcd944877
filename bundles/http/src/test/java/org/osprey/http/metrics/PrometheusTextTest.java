package org.osprey.http.metrics;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import org.junit.Test;

public class PrometheusTextTest {

    @Test
    public void familiesAreGroupedWithHelpTypeAndEscapedLabels() {
        PrometheusText t = new PrometheusText();
        t.counter("osprey_uplink_sent_total", "messages sent", 3, "uplink", "mqtt");
        t.gauge("osprey_outbox_depth", "waiting", 0.5);
        t.counter("osprey_uplink_sent_total", "messages sent", 12, "uplink", "iot \"hub\"\\\n");
        assertEquals("""
                # HELP osprey_uplink_sent_total messages sent
                # TYPE osprey_uplink_sent_total counter
                osprey_uplink_sent_total{uplink="mqtt"} 3
                osprey_uplink_sent_total{uplink="iot \\"hub\\"\\\\\\n"} 12
                # HELP osprey_outbox_depth waiting
                # TYPE osprey_outbox_depth gauge
                osprey_outbox_depth 0.5
                """, t.text());
    }

    @Test
    public void badNamesAndMixedTypesAreRefused() {
        PrometheusText t = new PrometheusText();
        assertThrows(IllegalArgumentException.class, () -> t.gauge("osprey-depth", "x", 1));
        assertThrows(IllegalArgumentException.class, () -> t.gauge("osprey_depth", "x", 1, "odd"));
        t.gauge("osprey_depth", "x", 1);
        assertThrows(IllegalArgumentException.class, () -> t.counter("osprey_depth", "x", 1));
    }
}
