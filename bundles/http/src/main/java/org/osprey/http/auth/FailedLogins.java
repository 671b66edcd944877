package org.osprey.http.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * Wrong passwords per client address: the first {@code freeAttempts} are free, each one after locks the
 * address out for twice as long as the last (1 s, 2 s, 4 s ... up to {@code maxLock}). A right password
 * forgets the address, and so does a quiet {@link #FORGET_AFTER}. Addresses are bounded, oldest first out,
 * so a scan from many addresses cannot grow the heap.
 */
final class FailedLogins {

    static final Duration FORGET_AFTER = Duration.ofMinutes(15);
    static final int MAX_ADDRESSES = 10_000;

    private record Record(int failures, long lockedUntil, long lastFailure) {
    }

    private final int freeAttempts;
    private final long maxLockMillis;
    private final Clock clock;
    private final LinkedHashMap<String, Record> byAddress = new LinkedHashMap<>(64, 0.75f, true);

    FailedLogins(int freeAttempts, Duration maxLock, Clock clock) {
        if (freeAttempts < 1) {
            throw new IllegalArgumentException("freeAttempts must be at least 1, not " + freeAttempts);
        }
        if (maxLock.toSeconds() < 1) {
            throw new IllegalArgumentException("maxLockSeconds must be at least 1, not " + maxLock.toSeconds());
        }
        this.freeAttempts = freeAttempts;
        this.maxLockMillis = maxLock.toMillis();
        this.clock = clock;
    }

    /** How long the address is still refused; zero when it may try. */
    synchronized Duration lockedFor(String address) {
        Record r = current(address);
        return r == null ? Duration.ZERO : Duration.ofMillis(Math.max(0, r.lockedUntil() - clock.millis()));
    }

    /** Counts a wrong password; returns the lock it starts (zero while attempts are free). */
    synchronized Duration failed(String address) {
        Record r = current(address);
        int failures = (r == null ? 0 : r.failures()) + 1;
        long now = clock.millis();
        long lock = 0;
        if (failures > freeAttempts) {
            int doublings = Math.min(failures - freeAttempts - 1, 30);
            lock = Math.min(maxLockMillis, 1000L << doublings);
        }
        byAddress.put(address, new Record(failures, now + lock, now));
        if (byAddress.size() > MAX_ADDRESSES) {
            Iterator<String> eldest = byAddress.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
        return Duration.ofMillis(lock);
    }

    /** A right password: the address starts afresh. */
    synchronized void succeeded(String address) {
        byAddress.remove(address);
    }

    synchronized int addresses() {
        byAddress.entrySet().removeIf(e -> forgotten(e.getValue()));
        return byAddress.size();
    }

    private Record current(String address) {
        Record r = byAddress.get(address);
        if (r != null && forgotten(r)) {
            byAddress.remove(address);
            return null;
        }
        return r;
    }

    private boolean forgotten(Record r) {
        return clock.millis() - Math.max(r.lastFailure(), r.lockedUntil()) > FORGET_AFTER.toMillis();
    }
}
