package org.osprey.pipeline.sample;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gateway with no camera configured gets one on its first start: camera {@value #CAMERA} showing the
 * sample photos shipped with Osprey, watched by a pipeline with the BlazeFace model, so what Osprey does
 * is visible at once. Done once: the configurations can then be edited or deleted like any other.
 */
@Component(configurationPid = SampleSetup.PID)
@Designate(ocd = SampleSetup.Config.class)
public class SampleSetup {

    static final String PID = "org.osprey.pipeline.sample";
    static final String CAMERA = "sample";
    private static final Logger LOG = LoggerFactory.getLogger(SampleSetup.class);

    @ObjectClassDefinition(name = "Osprey sample camera", description = "The camera set up on a gateway's first start.")
    public @interface Config {
        @AttributeDefinition(name = "Set up", description = "set up the sample camera when no camera is configured")
        boolean enabled() default true;

        @AttributeDefinition(name = "Done", description = "set once the sample camera was set up (or a camera was already configured)")
        boolean done() default false;
    }

    @Activate
    public SampleSetup(Config config, @Reference ConfigurationAdmin admin) throws IOException {
        if (!config.enabled() || config.done()) {
            return;
        }
        try {
            if (exists(admin, "org.osprey.pipeline") || exists(admin, "org.osprey.camera.files")) {
                return;
            }
            Configuration camera = admin.createFactoryConfiguration("org.osprey.camera.files", "?");
            camera.update(properties("camera.id", CAMERA, "path", "samples", "fps", 1.0, "loop", true));
            Configuration pipeline = admin.createFactoryConfiguration("org.osprey.pipeline", "?");
            pipeline.update(properties("camera", CAMERA, "model", "blazeface", "fps", 1.0));
            LOG.info("No camera was configured: camera '{}' shows the sample photos to the BlazeFace model (edit or delete it in the web console)", CAMERA);
        } catch (Exception e) {
            throw new IOException("cannot set up the sample camera: " + e.getMessage(), e);
        } finally {
            // once only, whatever happened: a user who deleted the sample camera does not get it back
            admin.getConfiguration(PID, "?").update(properties("enabled", true, "done", true));
        }
    }

    private static boolean exists(ConfigurationAdmin admin, String factoryPid) throws Exception {
        Configuration[] found = admin.listConfigurations("(service.factoryPid=" + factoryPid + ")");
        return found != null && found.length > 0;
    }

    private static Dictionary<String, Object> properties(Object... kv) {
        Hashtable<String, Object> p = new Hashtable<>();
        for (int i = 0; i < kv.length; i += 2) {
            p.put((String) kv[i], kv[i + 1]);
        }
        return p;
    }
}
