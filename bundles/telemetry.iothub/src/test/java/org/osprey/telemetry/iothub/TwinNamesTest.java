package org.osprey.telemetry.iothub;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.Test;

/** Reported patches remove what the twin may hold, also what a patch that was never acknowledged added. */
public class TwinNamesTest {

    @Test
    public void aCameraFromAnUnacknowledgedPatchIsRemovedByTheNextOne() {
        Map<String, Object> acknowledged = Map.of("cameras", Map.of("sample", Map.of("state", "running")));
        Map<String, Object> unacknowledged = Map.of("cameras", Map.of("sample", Map.of("state", "running"), "twin-cam", Map.of("state", "running")));
        Map<String, Object> now = Map.of("cameras", Map.of("sample", Map.of("state", "running")));

        Map<String, Object> patch = TwinNames.patch(TwinNames.union(acknowledged, unacknowledged), now);
        @SuppressWarnings("unchecked")
        Map<String, Object> cameras = (Map<String, Object>) patch.get("cameras");
        assertTrue(patch.toString(), cameras.containsKey("twin-cam"));
        assertEquals(null, cameras.get("twin-cam"));
        assertEquals(Map.of("state", "running"), cameras.get("sample"));
    }

    @Test
    public void unionKeepsNullsAndTheNewerValue() {
        Map<String, Object> a = new HashMap<>();
        a.put("message", null);
        a.put("depth", 1);
        Map<String, Object> b = new HashMap<>();
        b.put("depth", 2);
        b.put("message", null);
        Map<String, Object> u = TwinNames.union(a, b);
        assertEquals(2, u.get("depth"));
        assertTrue(u.containsKey("message"));
    }
}
