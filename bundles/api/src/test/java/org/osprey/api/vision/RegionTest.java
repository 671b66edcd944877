package org.osprey.api.vision;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import org.junit.Test;

public class RegionTest {

    @Test
    public void parsesWritesBackAndContains() {
        Region spot = Region.parse(" spot-1 : 0.0,0.5 0.5,0.5  0.5,1.0 0,1");
        assertEquals("spot-1", spot.name());
        assertEquals("spot-1: 0,0.5 0.5,0.5 0.5,1 0,1", spot.toString());
        assertEquals(spot.toString(), Region.parse(spot.toString()).toString());
        assertTrue(spot.contains(0.25, 0.75));
        assertFalse(spot.contains(0.75, 0.75));
    }

    @Test
    public void refusesWhatIsNotAZoneWithTheReason() {
        for (String bad : new String[] {"", "door", ": 0,0 1,0 1,1", "door: 0,0 1,0", "door: 0,0 1,0 1,NaN", "door: 0,0 1,0 2,1", "door: 0,0 1,0 x,1",
            "door: 0;0 1,0 1,1"}) {
            try {
                Region.parse(bad);
                fail("accepted '" + bad + "'");
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("zone"));
            }
        }
    }
}
