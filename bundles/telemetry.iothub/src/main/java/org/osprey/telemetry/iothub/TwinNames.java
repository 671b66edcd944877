package org.osprey.telemetry.iothub;

import java.util.LinkedHashMap;
import java.util.Map;

/** Twin property names cannot hold '.', '$' or spaces; and a reported patch must say what is gone. */
final class TwinNames {

    private TwinNames() {
    }

    /** A copy with every map key made twin-safe ('.', '$' and spaces as '_'). */
    static Object safe(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k).replaceAll("[.$ ]", "_"), safe(v)));
            return out;
        }
        return value;
    }

    /** {@code now}, plus a null for every key of {@code before} that is gone (nested), so the twin drops it. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> patch(Map<String, Object> before, Map<String, Object> now) {
        Map<String, Object> out = new LinkedHashMap<>(now);
        before.forEach((k, old) -> {
            Object current = now.get(k);
            if (!now.containsKey(k)) {
                out.put(k, null);
            } else if (old instanceof Map<?, ?> o && current instanceof Map<?, ?> c) {
                out.put(k, patch((Map<String, Object>) o, (Map<String, Object>) c));
            }
        });
        return out;
    }

    /** The keys of both (nested), with {@code b}'s values where both have one: what a twin may hold after either. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> union(Map<String, Object> a, Map<String, Object> b) {
        Map<String, Object> out = new LinkedHashMap<>(a);
        b.forEach((k, v) -> out.put(k, out.get(k) instanceof Map<?, ?> x && v instanceof Map<?, ?> y
                ? union((Map<String, Object>) x, (Map<String, Object>) y) : v));
        return out;
    }
}
