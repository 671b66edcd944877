package org.osprey.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class AdminCredentialsTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void hashIsSaltedAndVerifies() {
        String a = AdminCredentials.hash("correct horse");
        String b = AdminCredentials.hash("correct horse");
        assertNotEquals("a fresh salt each time", a, b);
        assertTrue(a, a.startsWith("{sha-256}"));
        assertTrue(AdminCredentials.matches(a, "correct horse"));
        assertTrue(AdminCredentials.matches(b, "correct horse"));
        assertFalse(AdminCredentials.matches(a, "correct horse "));
        assertFalse(AdminCredentials.matches(a, "admin"));
    }

    @Test
    public void aGeneratedPasswordIsStoredOnlyAsAHashAndReturnedOnce() throws Exception {
        Path data = tmp.getRoot().toPath();
        AdminCredentials.Resolved first = AdminCredentials.resolve(null, null, data);
        assertNotNull(first.generatedPassword);
        assertEquals(20, first.generatedPassword.length());
        String stored = Files.readString(data.resolve(AdminCredentials.FILE_NAME)).strip();
        assertEquals(first.hash, stored);
        assertFalse(stored.contains(first.generatedPassword));
        assertTrue(AdminCredentials.matches(stored, first.generatedPassword));

        AdminCredentials.Resolved second = AdminCredentials.resolve(null, null, data);
        assertNull("not generated (nor printed) again", second.generatedPassword);
        assertEquals(first.hash, second.hash);
    }

    @Test
    public void thePasswordFromTheEnvironmentIsNeitherStoredNorReturned() throws Exception {
        Path data = tmp.getRoot().toPath();
        AdminCredentials.Resolved r = AdminCredentials.resolve("from the environment", null, data);
        assertNull(r.generatedPassword);
        assertTrue(AdminCredentials.matches(r.hash, "from the environment"));
        assertFalse(Files.exists(data.resolve(AdminCredentials.FILE_NAME)));
    }

    @Test
    public void aDamagedCredentialsFileIsReportedNotReplaced() throws Exception {
        Path data = tmp.getRoot().toPath();
        Files.writeString(data.resolve(AdminCredentials.FILE_NAME), "garbage");
        LaunchException e = assertThrows(LaunchException.class, () -> AdminCredentials.resolve(null, null, data));
        assertTrue(e.getMessage(), e.getMessage().contains("is damaged"));
        assertEquals("garbage", Files.readString(data.resolve(AdminCredentials.FILE_NAME)));
    }
}
