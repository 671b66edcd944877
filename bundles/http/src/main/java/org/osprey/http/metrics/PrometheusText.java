package org.osprey.http.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.osprey.api.metrics.MetricSink;

/** Collects figures and writes them in Prometheus' text format 0.0.4, grouped by name. Not thread-safe. */
final class PrometheusText implements MetricSink {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private record Family(String type, String help, List<String> samples) {
    }

    private final Map<String, Family> families = new LinkedHashMap<>();

    @Override
    public void counter(String name, String help, double value, String... labels) {
        add("counter", name, help, value, labels);
    }

    @Override
    public void gauge(String name, String help, double value, String... labels) {
        add("gauge", name, help, value, labels);
    }

    private void add(String type, String name, String help, double value, String... labels) {
        if (!NAME.matcher(name).matches() || labels.length % 2 != 0) {
            throw new IllegalArgumentException("not a metric: " + name + " with " + labels.length + " label parts");
        }
        Family f = families.computeIfAbsent(name, n -> new Family(type, help, new ArrayList<>()));
        if (!f.type().equals(type)) {
            throw new IllegalArgumentException(name + " is a " + f.type() + ", not a " + type);
        }
        StringBuilder sample = new StringBuilder(name);
        for (int i = 0; i < labels.length; i += 2) {
            sample.append(i == 0 ? "{" : ",").append(labels[i]).append("=\"").append(escape(labels[i + 1])).append('"');
        }
        if (labels.length > 0) {
            sample.append('}');
        }
        f.samples().add(sample.append(' ').append(format(value)).toString());
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String format(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }

    String text() {
        StringBuilder out = new StringBuilder();
        families.forEach((name, f) -> {
            out.append("# HELP ").append(name).append(' ').append(f.help().replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
            out.append("# TYPE ").append(name).append(' ').append(f.type()).append('\n');
            f.samples().forEach(s -> out.append(s).append('\n'));
        });
        return out.toString();
    }
}
