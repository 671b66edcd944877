package org.osprey.http.auth;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

import org.junit.Test;

public class AdminPasswordTest {

    /** The launcher's format, built here step by step: SHA-256 applied n times to salt + password. */
    private static String hash(String saltHex, int n, String password) throws Exception {
        byte[] b = (saltHex + password).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < n; i++) {
            b = MessageDigest.getInstance("SHA-256").digest(b);
        }
        return "{sha-256}" + saltHex + "-" + n + "-" + Base64.getEncoder().encodeToString(b);
    }

    @Test
    public void acceptsTheRightPasswordOnly() throws Exception {
        String h = hash("0a1b2c3d", 10_000, "correct horse");
        assertTrue(AdminPassword.isHash(h));
        assertTrue(AdminPassword.matches(h, "correct horse"));
        assertFalse(AdminPassword.matches(h, "correct horse "));
        assertFalse(AdminPassword.matches(h, ""));
        assertFalse(AdminPassword.matches(h, null));
    }

    @Test
    public void refusesEverythingWithoutAUsableHash() {
        assertFalse(AdminPassword.isHash("admin"));
        assertFalse(AdminPassword.matches("admin", "admin"));
        assertFalse(AdminPassword.matches(null, "x"));
    }
}
