package org.osprey.deploy.configurations;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

public class DeletedFileConfigurationsTest {

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    /** Configurations by PID, with only what the component uses: list by the file property, properties, delete. */
    private final Map<String, Dictionary<String, Object>> configurations = new TreeMap<>();

    private Configuration configuration(String pid) {
        return (Configuration) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Configuration.class}, (proxy, method, args) -> {
            switch (method.getName()) {
                case "getPid":
                    return pid;
                case "getProperties":
                    return configurations.get(pid);
                case "delete":
                    if (configurations.remove(pid) == null) {
                        throw new IllegalStateException("deleted");
                    }
                    return null;
                default:
                    throw new UnsupportedOperationException(method.getName());
            }
        });
    }

    private ConfigurationAdmin admin() {
        return (ConfigurationAdmin) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ConfigurationAdmin.class}, (proxy, method, args) -> {
            if (!method.getName().equals("listConfigurations")) {
                throw new UnsupportedOperationException(method.getName());
            }
            assertEquals("(felix.fileinstall.filename=*)", args[0]);
            List<Configuration> fromFiles = new ArrayList<>();
            configurations.forEach((pid, p) -> {
                if (p.get(DeletedFileConfigurations.FILE_PROPERTY) != null) {
                    fromFiles.add(configuration(pid));
                }
            });
            return fromFiles.isEmpty() ? null : fromFiles.toArray(new Configuration[0]);
        });
    }

    private void put(String pid, String fileName) {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("camera.id", pid);
        if (fileName != null) {
            p.put(DeletedFileConfigurations.FILE_PROPERTY, fileName);
        }
        configurations.put(pid, p);
    }

    @Test
    public void onlyConfigurationsWhoseFileIsGoneAreDeleted() throws Exception {
        Path deploy = folder.newFolder("deploy with space").toPath();
        Path kept = Files.writeString(deploy.resolve("org.osprey.camera.files-kept.cfg"), "camera.id=kept\n");
        Path gone = deploy.resolve("org.osprey.camera.files-gone.cfg");
        put("org.osprey.camera.files~kept", kept.toUri().toString());
        put("org.osprey.camera.files~gone", gone.toUri().toString());
        put("org.osprey.camera.files~plain-path-gone", deploy.resolve("plain.cfg").toString());
        put("org.osprey.camera.files~console", null);
        put("org.osprey.camera.files~elsewhere", "http://example.com/x.cfg");

        List<String> removed = DeletedFileConfigurations.removeDeleted(admin());

        assertEquals(List.of("org.osprey.camera.files~gone", "org.osprey.camera.files~plain-path-gone"), removed.stream().sorted().toList());
        assertEquals(List.of("org.osprey.camera.files~console", "org.osprey.camera.files~elsewhere", "org.osprey.camera.files~kept"),
                new ArrayList<>(configurations.keySet()));
    }

    @Test
    public void noConfigurationFromFilesIsNothingToDo() throws Exception {
        put("org.osprey.camera.files~console", null);
        assertEquals(List.of(), DeletedFileConfigurations.removeDeleted(admin()));
        assertEquals(1, configurations.size());
    }

    @Test
    public void fileNamesThatAreNotFilesAreLeftAlone() {
        assertNull(DeletedFileConfigurations.file("http://example.com/a.cfg"));
        assertNull(DeletedFileConfigurations.file("file:/bad path with space.cfg"));
        assertEquals(Path.of("/tmp/a b.cfg"), DeletedFileConfigurations.file("file:/tmp/a%20b.cfg"));
        assertEquals(Path.of("/tmp/a.cfg"), DeletedFileConfigurations.file("/tmp/a.cfg"));
    }
}
