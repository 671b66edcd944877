package org.osprey.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class LaunchSettingsTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>();
        env.put("OSPREY_DATA", tmp.getRoot().toPath().resolve("data").toString());
        env.put("OSPREY_DEPLOY", tmp.getRoot().toPath().resolve("deploy").toString());
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    @Test
    public void defaultsAndFolderCreation() throws Exception {
        LaunchSettings s = LaunchSettings.fromEnvironment(env());
        assertEquals(8885, s.httpPort);
        assertEquals("info", s.logLevel);
        assertTrue(Files.isDirectory(s.dataDir));
        assertTrue(Files.isDirectory(s.deployDir));
        assertEquals(null, s.adminPassword);
    }

    @Test
    public void valuesAreTrimmedAndNormalised() throws Exception {
        LaunchSettings s = LaunchSettings.fromEnvironment(env("OSPREY_HTTP_PORT", " 9090 ", "OSPREY_LOG_LEVEL", "DEBUG"));
        assertEquals(9090, s.httpPort);
        assertEquals("debug", s.logLevel);
    }

    @Test
    public void badPortsAreRefusedWithTheVariableName() {
        for (String bad : new String[] {"abc", "0", "65536", "-1", "80.5"}) {
            LaunchException e = assertThrows(LaunchException.class,
                    () -> LaunchSettings.fromEnvironment(env("OSPREY_HTTP_PORT", bad)));
            assertTrue(e.getMessage(), e.getMessage().startsWith("OSPREY_HTTP_PORT must be a port number"));
            assertTrue(e.getMessage(), e.getMessage().contains("\"" + bad + "\""));
        }
    }

    @Test
    public void aFileWhereAFolderShouldBeIsRefused() throws Exception {
        Path file = tmp.newFile("plain").toPath();
        LaunchException e = assertThrows(LaunchException.class,
                () -> LaunchSettings.fromEnvironment(env("OSPREY_DEPLOY", file.toString())));
        assertEquals("OSPREY_DEPLOY must be a folder, but " + file + " is a file", e.getMessage());
    }

    @Test
    public void aShortPasswordIsRefusedWithoutEchoingIt() {
        LaunchException e = assertThrows(LaunchException.class,
                () -> LaunchSettings.fromEnvironment(env("OSPREY_ADMIN_PASSWORD", "hunter2")));
        assertTrue(e.getMessage().contains("at least 8"));
        assertTrue("the password is not echoed", !e.getMessage().contains("hunter2"));
    }

    @Test
    public void unknownLogLevelIsRefused() {
        LaunchException e = assertThrows(LaunchException.class,
                () -> LaunchSettings.fromEnvironment(env("OSPREY_LOG_LEVEL", "verbose")));
        assertTrue(e.getMessage(), e.getMessage().contains("\"verbose\""));
    }

    /** A manifest whose variable had no value hands over the literal reference: it must not become the password. */
    @Test
    public void anUnexpandedVariableReferenceIsRefusedAsThePassword() {
        for (String literal : new String[] {"$OSPREY_ADMIN_PASSWORD", "${OSPREY_ADMIN_PASSWORD}", " $ADMIN_PW "}) {
            LaunchException e = assertThrows(LaunchException.class, () -> LaunchSettings.fromEnvironment(env("OSPREY_ADMIN_PASSWORD", literal)));
            assertTrue(e.getMessage(), e.getMessage().contains("not expanded"));
        }
        LaunchException e = assertThrows(LaunchException.class, () -> LaunchSettings.fromEnvironment(env("OSPREY_ADMIN_PASSWORD_HASH", "${HASH}")));
        assertTrue(e.getMessage(), e.getMessage().startsWith("OSPREY_ADMIN_PASSWORD_HASH is"));
    }

    @Test
    public void aPasswordThatMerelyContainsADollarIsFine() throws Exception {
        assertEquals("pa$$word-with-$SIGN", LaunchSettings.fromEnvironment(env("OSPREY_ADMIN_PASSWORD", "pa$$word-with-$SIGN")).adminPassword);
    }

    @Test
    public void aHashInsteadOfThePassword() throws Exception {
        String hash = AdminCredentials.hash("correct horse battery");
        LaunchSettings s = LaunchSettings.fromEnvironment(env("OSPREY_ADMIN_PASSWORD_HASH", hash + "\n"));
        assertEquals(hash, s.adminPasswordHash);
        assertTrue(AdminCredentials.matches(AdminCredentials.resolve(null, s.adminPasswordHash, s.dataDir).hash, "correct horse battery"));
        LaunchException bad = assertThrows(LaunchException.class, () -> LaunchSettings.fromEnvironment(env("OSPREY_ADMIN_PASSWORD_HASH", "secret")));
        assertTrue(bad.getMessage(), bad.getMessage().contains("hash-password"));
        LaunchException both = assertThrows(LaunchException.class,
                () -> LaunchSettings.fromEnvironment(env("OSPREY_ADMIN_PASSWORD_HASH", hash, "OSPREY_ADMIN_PASSWORD", "correct horse battery")));
        assertTrue(both.getMessage(), both.getMessage().contains("not both"));
    }
}
