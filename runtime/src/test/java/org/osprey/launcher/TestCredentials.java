package org.osprey.launcher;

/** Lets tests outside this package hash a password exactly as the launcher does. */
public final class TestCredentials {

    private TestCredentials() {
    }

    public static String hash(String password) {
        return AdminCredentials.hash(password);
    }
}
