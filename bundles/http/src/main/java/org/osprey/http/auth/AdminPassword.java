package org.osprey.http.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Checks a password against the admin hash the launcher gives the web console
 * ({@code {sha-256}<hex salt>-<iterations>-<base64 digest>}), so one password guards the console and
 * every admin route.
 */
final class AdminPassword {

    private static final String PREFIX = "{sha-256}";

    private AdminPassword() {
    }

    static boolean isHash(String value) {
        return value != null && value.matches("\\{sha-256\\}[0-9a-f]+-[0-9]{1,7}-[A-Za-z0-9+/=]+");
    }

    static boolean matches(String hash, String password) {
        if (!isHash(hash) || password == null) {
            return false;
        }
        String[] parts = hash.substring(PREFIX.length()).split("-", 3);
        byte[] bytes = (parts[0] + password).getBytes(StandardCharsets.UTF_8);
        MessageDigest md = sha256();
        for (int i = Integer.parseInt(parts[1]); i > 0; i--) {
            bytes = md.digest(bytes);
        }
        return MessageDigest.isEqual(Base64.getEncoder().encode(bytes), parts[2].getBytes(StandardCharsets.US_ASCII));
    }

    static byte[] fingerprint(String text) {
        return sha256().digest(text.getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
