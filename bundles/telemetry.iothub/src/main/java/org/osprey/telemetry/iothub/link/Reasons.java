package org.osprey.telemetry.iothub.link;

import java.util.ArrayList;
import java.util.List;

/** An exception as one line a user can act on: its messages down the cause chain, without repeats. */
public final class Reasons {

    private Reasons() {
    }

    public static String of(Throwable e) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = e; t != null && parts.size() < 4; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage();
            if (m == null || m.isBlank()) {
                continue;
            }
            m = m.strip();
            String line = m;
            if (parts.stream().noneMatch(p -> p.contains(line))) {
                parts.add(m);
            }
        }
        if (parts.isEmpty()) {
            // the SDK's IotHubClientException often has no message: name the deepest cause's kind
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return root.getClass().getSimpleName();
        }
        return String.join(": ", parts);
    }
}
