package org.osprey.startorder;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.startlevel.BundleStartLevel;

/**
 * Embedded activator of bnd's launcher: after the bundles are installed and before the launcher starts
 * them, moves the bundles named in {@value #PROPERTY} (symbolic names, in order) to start level 1 and
 * starts them; every other bundle has the framework's default level (2), so on later starts, from the
 * kept framework storage, Felix starts them first too. Used for SLF4J, whose provider must be running
 * before the first bundle creates a logger.
 * <p>
 * Loaded by the launcher from the runpath, beside the framework; kept out of the launcher's own
 * package because that one sits on the application class path, which cannot see the OSGi API.
 */
public final class StartFirst implements BundleActivator {

    /** Read by bnd's launcher: run between installing and starting the bundles. */
    public static final String IMMEDIATE = "BEFORE_BUNDLES_START";
    static final String PROPERTY = "osprey.start.first";

    @Override
    public void start(BundleContext context) throws BundleException {
        String names = context.getProperty(PROPERTY);
        if (names == null) {
            return;
        }
        for (String name : names.split("\\s*,\\s*")) {
            for (Bundle b : context.getBundles()) {
                if (name.equals(b.getSymbolicName())) {
                    b.adapt(BundleStartLevel.class).setStartLevel(1);
                    if (b.getState() != Bundle.ACTIVE) {
                        b.start(Bundle.START_ACTIVATION_POLICY);
                    }
                }
            }
        }
    }

    @Override
    public void stop(BundleContext context) {
        // nothing to undo: the framework stops the bundles
    }
}
