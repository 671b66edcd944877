package org.osprey.rollout;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Version;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.osprey.api.rollout.ModelRollout;
import org.osprey.api.rollout.RolloutStatus;
import org.osprey.api.rollout.RolloutStatus.State;
import org.osprey.api.vision.ModelCatalog;
import org.osprey.api.vision.ModelRecord;
import org.osprey.rollout.download.Download;
import org.osprey.rollout.download.Trust;
import org.osprey.rollout.jar.ModelJarCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the installed model bundles to what the configurations {@code org.osprey.models~NAME} want
 * (written by the IoT Hub twin's {@code models} property, the {@code installModel} command, or by hand):
 * downloads each wanted version (resumed after a restart or a broken connection, tried again with
 * back-off), checks it ({@link ModelJarCheck}), installs it, and once the engine serves it uninstalls the
 * other versions this rollout installed. A name no longer wanted loses the versions the rollout installed;
 * bundles installed by other means (shipped, deploy folder, console) are never touched.
 * <p>
 * All the work is done on one thread, one model at a time; the engine's hot swap keeps the model that
 * served before serving until the new one is loaded.
 */
@Component(service = {ModelRollout.class, ConfigurationListener.class}, immediate = true, configurationPid = "org.osprey.rollout")
@Designate(ocd = RolloutConfiguration.class)
public class ModelRolloutService implements ModelRollout, ConfigurationListener {

    private static final Logger LOG = LoggerFactory.getLogger(ModelRolloutService.class);
    /** Bundle locations of the versions the rollout installed: {@code osprey-rollout:NAME@VERSION}. */
    static final String LOCATION = "osprey-rollout:";
    private static final long FIRST_BACKOFF_MILLIS = 5_000;
    private static final long RECHECK_MILLIS = 30_000;

    /** One wanted version's progress; written on the worker thread, read by any. */
    private static final class Job {
        final Wanted wanted;
        volatile State state = State.DOWNLOADING;
        volatile long bytes;
        volatile long size = -1;
        volatile String message;
        /** Failed for good: not tried again until the wanted version changes. */
        volatile boolean finished;
        int failures;
        long nextAttempt;

        Job(Wanted wanted) {
            this.wanted = wanted;
        }

        RolloutStatus status() {
            return new RolloutStatus(wanted.name(), wanted.version(), state, bytes, size, message);
        }
    }

    private final BundleContext context;
    private final ConfigurationAdmin admin;
    private final Path dir;
    private final Download download;
    private final long maxBackoffMillis;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    /** Configurations that say nothing usable, by name: reported as failed. */
    private final Map<String, RolloutStatus> invalid = new ConcurrentHashMap<>();
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "osprey-model-rollout");
        t.setDaemon(true);
        return t;
    });
    private ScheduledFuture<?> next;
    private volatile boolean closed;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile ModelCatalog catalog;

    /** An owned bundle removed by hand is fetched again, as the configuration still wants it. */
    private final BundleListener removals = event -> {
        if (event.getType() == BundleEvent.UNINSTALLED && event.getBundle().getLocation().startsWith(LOCATION)) {
            soon();
        }
    };

    @Activate
    public ModelRolloutService(BundleContext context, RolloutConfiguration config, @Reference ConfigurationAdmin admin) throws IOException {
        this.context = context;
        this.admin = admin;
        String data = Optional.ofNullable(context.getProperty("osprey.data")).orElse("data");
        this.dir = Files.createDirectories(Path.of(data, "rollout"));
        this.download = new Download(Trust.context(config.caFile().isBlank() ? null : Path.of(config.caFile().strip())),
                config.maxMegabytes() * 1024L * 1024L, config.timeoutSeconds() * 1000, config.allowHttp());
        this.maxBackoffMillis = config.maxBackoffSeconds() * 1000L;
        context.addBundleListener(removals);
        soon();
    }

    @Deactivate
    void deactivate() {
        closed = true;
        context.removeBundleListener(removals);
        worker.shutdownNow();
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (FACTORY_PID.equals(event.getFactoryPid())) {
            soon();
        }
    }

    @Override
    public Map<String, RolloutStatus> status() {
        Map<String, RolloutStatus> all = new TreeMap<>(invalid);
        jobs.forEach((name, job) -> all.put(name, job.status()));
        return all;
    }

    /** A reconcile pass as soon as the worker is free. */
    private void soon() {
        if (!closed) {
            worker.execute(this::reconcile);
        }
    }

    private synchronized void schedule(long delayMillis) {
        // a pass already due sooner stands (a pass that is running, delay <= 0, is this one: it schedules the next)
        long due = next == null || next.isDone() ? -1 : next.getDelay(TimeUnit.MILLISECONDS);
        if (due > 0 && due <= delayMillis) {
            return;
        }
        if (next != null) {
            next.cancel(false);
        }
        if (!closed) {
            next = worker.schedule(this::reconcile, delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void reconcile() {
        try {
            Map<String, Wanted> wanted = wanted();
            removeUnwanted(wanted);
            long wait = RECHECK_MILLIS;
            for (Wanted w : wanted.values()) {
                if (closed) {
                    return;
                }
                wait = Math.min(wait, step(w));
            }
            schedule(wait);
        } catch (RuntimeException e) {
            if (!closed) {
                LOG.warn("Model rollout pass failed", e);
                schedule(RECHECK_MILLIS);
            }
        }
    }

    private Map<String, Wanted> wanted() {
        Map<String, Wanted> wanted = new TreeMap<>();
        Map<String, RolloutStatus> bad = new LinkedHashMap<>();
        try {
            Configuration[] configs = admin.listConfigurations("(service.factoryPid=" + FACTORY_PID + ")");
            for (Configuration c : configs == null ? new Configuration[0] : configs) {
                String name = c.getPid().substring(c.getPid().indexOf('~') + 1);
                Dictionary<String, Object> p = c.getProperties();
                if (p == null) {
                    continue;
                }
                try {
                    wanted.put(name, Wanted.of(name, p));
                } catch (IllegalArgumentException e) {
                    Object v = p.get("version");
                    bad.put(name, new RolloutStatus(name, v == null ? "" : v.toString(), State.FAILED, 0, -1, e.getMessage()));
                }
            }
        } catch (IOException | org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        invalid.keySet().retainAll(bad.keySet());
        invalid.putAll(bad);
        return wanted;
    }

    /** Uninstalls the versions the rollout installed of names no longer wanted; forgets their jobs and partial downloads. */
    private void removeUnwanted(Map<String, Wanted> wanted) {
        for (Bundle b : owned()) {
            String name = nameOf(b);
            if (!wanted.containsKey(name)) {
                uninstall(b, "no longer wanted");
            }
        }
        jobs.keySet().removeIf(name -> !wanted.containsKey(name) || invalid.containsKey(name));
        List<String> keep = wanted.values().stream().map(Wanted::partFile).toList();
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".part") && !keep.contains(f.getFileName().toString())).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            LOG.warn("Cannot clean {}: {}", dir, e.toString());
        }
    }

    /** Moves one wanted model on; returns when it wants to be looked at again (ms). */
    private long step(Wanted w) {
        Job job = jobs.compute(w.name(), (name, j) -> j == null || !j.wanted.equals(w) ? new Job(w) : j);
        Bundle present = installed(w);
        if (present != null) {
            return installedStep(job, present);
        }
        if (job.finished) {
            return RECHECK_MILLIS;
        }
        long now = System.currentTimeMillis();
        if (now < job.nextAttempt) {
            return job.nextAttempt - now;
        }
        Path part = dir.resolve(w.partFile());
        job.state = State.DOWNLOADING;
        try {
            download.fetch(w.url(), part, size -> job.size = size, bytes -> {
                job.bytes = bytes;
                if (closed) {
                    throw new IllegalStateException("the rollout is stopping");
                }
            });
        } catch (Download.Failure f) {
            if (!f.retry()) {
                return fail(job, f.getMessage(), part);
            }
            job.failures++;
            long backoff = Math.min(maxBackoffMillis, FIRST_BACKOFF_MILLIS << Math.min(job.failures - 1, 20));
            job.nextAttempt = System.currentTimeMillis() + backoff;
            job.message = "attempt " + job.failures + " failed: " + f.getMessage() + "; trying again in " + backoff / 1000 + " s";
            LOG.warn("Model {} {}: download {}", w.name(), w.version(), job.message);
            return backoff;
        }
        job.state = State.VERIFYING;
        job.message = null;
        try {
            ModelJarCheck.check(part, w.sha256(), w.name(), w.version());
        } catch (IllegalArgumentException | IOException e) {
            return fail(job, e.getMessage(), part);
        }
        job.state = State.INSTALLING;
        try (InputStream in = Files.newInputStream(part)) {
            Bundle b = context.installBundle(LOCATION + w.name() + "@" + w.version(), in);
            b.start();
            LOG.info("Model {} {} installed from {} (bundle {})", w.name(), w.version(), Download.redacted(w.url()), b.getBundleId());
        } catch (BundleException | IOException | IllegalStateException e) {
            return fail(job, "cannot install: " + e.getMessage(), part);
        }
        delete(part);
        return 200;
    }

    /** The wanted version is installed: follow what the engine makes of it. */
    private long installedStep(Job job, Bundle present) {
        Wanted w = job.wanted;
        ModelCatalog c = catalog;
        Optional<ModelRecord> record = c == null ? Optional.empty()
                : c.models().stream().filter(r -> r.bundleId() == present.getBundleId()).findFirst();
        job.bytes = Math.max(job.bytes, 0);
        if (record.isEmpty() || record.get().state() == ModelRecord.State.LOADING) {
            job.state = State.INSTALLING;
            if (owned(present) && (present.getState() & (Bundle.INSTALLED | Bundle.RESOLVED)) != 0) {
                try {
                    present.start();
                } catch (BundleException e) {
                    job.message = e.getMessage();
                }
            }
            return 500;
        }
        ModelRecord r = record.get();
        switch (r.state()) {
            case FAILED -> {
                if (owned(present)) {
                    uninstall(present, "it failed to load");
                }
                job.finished = true;
                job.state = State.FAILED;
                job.message = r.message().orElse("the model failed to load");
                LOG.warn("Model {} {} failed: {}", w.name(), w.version(), job.message);
                return RECHECK_MILLIS;
            }
            case REPLACED -> {
                // a higher version serves: one the rollout installed goes (a rollback), one installed by other means stays
                List<Bundle> others = otherOwnedVersions(w);
                if (!others.isEmpty()) {
                    others.forEach(b -> uninstall(b, "version " + w.version() + " is wanted"));
                    return 200;
                }
                job.state = State.REPLACED;
                job.message = "a higher version installed by other means serves";
                return RECHECK_MILLIS;
            }
            default -> {
                if (job.state != State.ACTIVE) {
                    LOG.info("Model {} {} is active", w.name(), w.version());
                }
                job.state = State.ACTIVE;
                job.message = null;
                otherOwnedVersions(w).forEach(b -> uninstall(b, "version " + w.version() + " serves"));
                return RECHECK_MILLIS;
            }
        }
    }

    private long fail(Job job, String why, Path part) {
        delete(part);
        job.finished = true;
        job.state = State.FAILED;
        job.message = why;
        LOG.warn("Model {} {} refused: {}", job.wanted.name(), job.wanted.version(), why);
        return RECHECK_MILLIS;
    }

    /** The wanted version, installed by the rollout or by other means. */
    private Bundle installed(Wanted w) {
        Version v = Version.parseVersion(w.version());
        Bundle other = null;
        for (Bundle b : context.getBundles()) {
            if (("osprey.model." + w.name()).equals(b.getSymbolicName()) && b.getVersion().equals(v)) {
                if (owned(b)) {
                    return b;
                }
                other = b;
            }
        }
        return other;
    }

    private List<Bundle> otherOwnedVersions(Wanted w) {
        Version v = Version.parseVersion(w.version());
        return owned().stream().filter(b -> nameOf(b).equals(w.name()) && !b.getVersion().equals(v)).toList();
    }

    private List<Bundle> owned() {
        List<Bundle> owned = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (owned(b)) {
                owned.add(b);
            }
        }
        return owned;
    }

    private static boolean owned(Bundle b) {
        return b.getLocation().startsWith(LOCATION);
    }

    private static String nameOf(Bundle b) {
        String rest = b.getLocation().substring(LOCATION.length());
        int at = rest.lastIndexOf('@');
        return at < 0 ? rest : rest.substring(0, at);
    }

    private static void uninstall(Bundle b, String why) {
        try {
            String what = b.getSymbolicName() + " " + b.getVersion();
            b.uninstall();
            LOG.info("Uninstalled model bundle {}: {}", what, why);
        } catch (BundleException | IllegalStateException e) {
            LOG.warn("Cannot uninstall model bundle {}: {}", b.getBundleId(), e.getMessage());
        }
    }

    private static void delete(Path part) {
        try {
            Files.deleteIfExists(part);
        } catch (IOException e) {
            LOG.warn("Cannot delete {}: {}", part, e.toString());
        }
    }
}
