package org.osprey.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The admin password, kept only as a salted hash in the form the Felix Web Console checks:
 * {@code {sha-256}<hex salt>-<iterations>-<base64 digest>}, the digest being SHA-256 applied
 * {@code iterations} times to the UTF-8 bytes of salt followed by password.
 */
final class AdminCredentials {

    static final String FILE_NAME = "admin.credentials";
    private static final int ITERATIONS = 10_000;
    private static final int SALT_BYTES = 16;
    private static final char[] ALPHABET =
            "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();
    private static final int GENERATED_LENGTH = 20;

    private static final SecureRandom RANDOM = new SecureRandom();

    /** The hash to give the web console, and the password to show the user if one was just generated. */
    static final class Resolved {
        final String hash;
        final String generatedPassword;

        Resolved(String hash, String generatedPassword) {
            this.hash = hash;
            this.generatedPassword = generatedPassword;
        }
    }

    private AdminCredentials() {
    }

    /**
     * The password (or its hash) from the environment wins; else the stored hash; else a new password is generated,
     * its hash stored in the data folder, and the password returned once for printing.
     */
    static Resolved resolve(String passwordFromEnvironment, String hashFromEnvironment, Path dataDir) throws LaunchException {
        if (passwordFromEnvironment != null) {
            return new Resolved(hash(passwordFromEnvironment.strip()), null);
        }
        if (hashFromEnvironment != null) {
            return new Resolved(hashFromEnvironment, null);
        }
        Path file = dataDir.resolve(FILE_NAME);
        try {
            if (Files.exists(file)) {
                String stored = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (!isHash(stored)) {
                    throw new LaunchException(file + " is damaged; delete it and restart to generate a new admin password");
                }
                return new Resolved(stored, null);
            }
            String password = generate();
            String hash = hash(password);
            store(file, hash);
            return new Resolved(hash, password);
        } catch (IOException e) {
            throw new LaunchException("cannot read or write " + file + " (" + e.getMessage() + ")");
        }
    }

    static String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        String saltHex = HexFormat.of().formatHex(salt);
        return "{sha-256}" + saltHex + "-" + ITERATIONS + "-" + digest(saltHex, ITERATIONS, password);
    }

    static boolean matches(String hash, String password) {
        if (!isHash(hash)) {
            return false;
        }
        String[] parts = hash.substring("{sha-256}".length()).split("-", 3);
        String expected = digest(parts[0], Integer.parseInt(parts[1]), password);
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                parts[2].getBytes(StandardCharsets.US_ASCII));
    }

    static boolean isHash(String value) {
        return value.matches("\\{sha-256\\}[0-9a-f]+-[0-9]{1,7}-[A-Za-z0-9+/=]+");
    }

    private static String digest(String saltHex, int iterations, String password) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] bytes = (saltHex + password).getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < iterations; i++) {
                bytes = md.digest(bytes);
            }
            return Base64.getEncoder().encodeToString(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static String generate() {
        StringBuilder sb = new StringBuilder(GENERATED_LENGTH);
        for (int i = 0; i < GENERATED_LENGTH; i++) {
            sb.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return sb.toString();
    }

    /** Written owner-only, and atomically, so a crash never leaves half a hash behind. */
    private static void store(Path file, String hash) throws IOException {
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        Files.writeString(tmp, hash + "\n", StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system (Windows): the folder's own permissions apply
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
