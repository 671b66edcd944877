package org.osprey.http.auth;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.Test;
import org.osprey.testsupport.TestClock;

public class FailedLoginsTest {

    private final TestClock clock = new TestClock(Instant.parse("2026-11-23T10:00:00Z"));
    private final FailedLogins logins = new FailedLogins(3, Duration.ofSeconds(10), clock);

    @Test
    public void freeAttemptsThenLocksThatDoubleUpToTheLongest() {
        for (int i = 0; i < 3; i++) {
            assertEquals(Duration.ZERO, logins.failed("10.0.0.1"));
            assertEquals(Duration.ZERO, logins.lockedFor("10.0.0.1"));
        }
        assertEquals(Duration.ofSeconds(1), logins.failed("10.0.0.1"));
        assertEquals(Duration.ofSeconds(1), logins.lockedFor("10.0.0.1"));
        assertEquals("another address is not concerned", Duration.ZERO, logins.lockedFor("10.0.0.2"));
        clock.advance(Duration.ofMillis(400));
        assertEquals(Duration.ofMillis(600), logins.lockedFor("10.0.0.1"));
        clock.advance(Duration.ofMillis(600));
        assertEquals(Duration.ZERO, logins.lockedFor("10.0.0.1"));
        assertEquals(Duration.ofSeconds(2), logins.failed("10.0.0.1"));
        assertEquals(Duration.ofSeconds(4), logins.failed("10.0.0.1"));
        assertEquals(Duration.ofSeconds(8), logins.failed("10.0.0.1"));
        assertEquals(Duration.ofSeconds(10), logins.failed("10.0.0.1"));
        for (int i = 0; i < 100; i++) {
            logins.failed("10.0.0.1");
        }
        assertEquals("no overflow after many failures", Duration.ofSeconds(10), logins.lockedFor("10.0.0.1"));
    }

    @Test
    public void aRightPasswordStartsTheAddressAfresh() {
        for (int i = 0; i < 4; i++) {
            logins.failed("10.0.0.1");
        }
        clock.advance(Duration.ofMillis(1000));
        logins.succeeded("10.0.0.1");
        for (int i = 0; i < 3; i++) {
            assertEquals(Duration.ZERO, logins.failed("10.0.0.1"));
        }
        assertEquals(Duration.ofSeconds(1), logins.failed("10.0.0.1"));
    }

    @Test
    public void aQuietAddressIsForgotten() {
        for (int i = 0; i < 5; i++) {
            logins.failed("10.0.0.1");
        }
        assertTrue(logins.lockedFor("10.0.0.1").toMillis() > 0);
        clock.advance(Duration.ofMillis(FailedLogins.FORGET_AFTER.toMillis() + 10_000));
        assertEquals(0, logins.addresses());
        assertEquals("free attempts again", Duration.ZERO, logins.failed("10.0.0.1"));
    }

    @Test
    public void manyAddressesAreBoundedOldestFirst() {
        for (int i = 0; i < FailedLogins.MAX_ADDRESSES + 500; i++) {
            logins.failed("10.1." + (i >> 8) + "." + (i & 255));
        }
        assertEquals(FailedLogins.MAX_ADDRESSES, logins.addresses());
    }

    @Test
    public void wrongSettingsAreRefusedWithTheirName() {
        assertEquals("freeAttempts must be at least 1, not 0",
                assertThrows(IllegalArgumentException.class, () -> new FailedLogins(0, Duration.ofSeconds(1), clock)).getMessage());
        assertEquals("maxLockSeconds must be at least 1, not 0",
                assertThrows(IllegalArgumentException.class, () -> new FailedLogins(1, Duration.ZERO, clock)).getMessage());
    }
}
