package org.osprey.deploy.configurations;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes, when the gateway starts, the configurations File Install made from deploy-folder files that
 * are gone. File Install deletes a configuration when its file is deleted while it watches, but it does
 * not notice a file deleted while the gateway was stopped, so the camera or pipeline came back with
 * every restart. Configurations made in the console, through the API or by the twin carry no file name
 * and are never touched.
 */
@Component(immediate = true)
public final class DeletedFileConfigurations {

    /** The property File Install gives each configuration it made from a file: the file's URL. */
    static final String FILE_PROPERTY = "felix.fileinstall.filename";

    private static final Logger LOG = LoggerFactory.getLogger(DeletedFileConfigurations.class);

    @Activate
    public DeletedFileConfigurations(@Reference ConfigurationAdmin admin) throws IOException, InvalidSyntaxException {
        for (String pid : removeDeleted(admin)) {
            LOG.info("Configuration {} removed: its file in the deploy folder was deleted while the gateway was stopped", pid);
        }
    }

    /** Deletes each configuration whose file is gone; the PIDs deleted. */
    static List<String> removeDeleted(ConfigurationAdmin admin) throws IOException, InvalidSyntaxException {
        List<String> removed = new ArrayList<>();
        Configuration[] fromFiles = admin.listConfigurations("(" + FILE_PROPERTY + "=*)");
        for (Configuration c : fromFiles == null ? new Configuration[0] : fromFiles) {
            try {
                Object name = c.getProperties() == null ? null : c.getProperties().get(FILE_PROPERTY);
                Path file = name == null ? null : file(name.toString());
                if (file != null && !Files.exists(file)) {
                    String pid = c.getPid();
                    c.delete();
                    removed.add(pid);
                }
            } catch (IllegalStateException alreadyDeleted) {
                // File Install deleted it meanwhile: what was wanted
            }
        }
        return removed;
    }

    /** The file a File Install name points at ({@code file:/...}, or a plain path); null for any other URL. */
    static Path file(String name) {
        try {
            if (name.startsWith("file:")) {
                return Path.of(URI.create(name));
            }
            return name.contains(":/") ? null : Path.of(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
