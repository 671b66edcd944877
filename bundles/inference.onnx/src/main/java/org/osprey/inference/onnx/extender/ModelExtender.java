package org.osprey.inference.onnx.extender;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.Version;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.util.tracker.BundleTracker;
import org.osprey.api.vision.Model;
import org.osprey.api.vision.ModelCatalog;
import org.osprey.api.vision.ModelRecord;
import org.osprey.api.vision.ModelRecord.State;
import org.osprey.api.vision.Task;
import org.osprey.inference.onnx.engine.EngineSettings;
import org.osprey.inference.onnx.image.ImageLimits;
import org.osprey.inference.onnx.engine.ModelLoader;
import org.osprey.inference.onnx.engine.OnnxEngine;
import org.osprey.inference.onnx.engine.OnnxModel;
import org.osprey.inference.onnx.model.ModelDescriptor;
import org.osprey.inference.onnx.model.ModelLoadException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model extender: every started bundle with an {@value ModelDescriptor#HEADER} header becomes a
 * {@link Model} service. Versions of one name are ranked by version, so the newest serves and removing
 * it falls back; a replaced model's session closes when its last request ends. Loading happens on one
 * background thread, so installing a large model never blocks the framework.
 * <p>
 * When the last loaded version of a name goes (an update through the web console stops the bundle,
 * replaces it, and starts it again), it keeps serving until a version of that name has loaded, for at
 * most {@link #HANDOVER_SECONDS}: an update fails no request either.
 */
@Component(service = ModelCatalog.class, immediate = true, configurationPid = "org.osprey.inference.onnx")
@Designate(ocd = OnnxRuntimeConfiguration.class)
public class ModelExtender implements ModelCatalog {

    private static final Logger LOG = LoggerFactory.getLogger(ModelExtender.class);
    public static final String BUNDLE_PROPERTY = "osprey.model.bundle";
    static final long HANDOVER_SECONDS = 30;

    /** What the extender knows of one model bundle; guarded by itself. */
    private static final class Entry {
        final Bundle bundle;
        final String version;
        String name;
        Task task;
        State state = State.LOADING;
        String message;
        Instant since = Instant.now();
        OnnxModel model;
        ServiceRegistration<Model> registration;
        boolean removed;

        Entry(Bundle bundle) {
            this.bundle = bundle;
            this.version = bundle.getVersion().toString();
            this.name = bundle.getSymbolicName();
        }
    }

    private final BundleContext context;
    private final OnnxEngine engine;
    private final ModelLoader loader;
    private final Map<Long, Entry> entries = new ConcurrentHashMap<>();
    /** Models whose bundle went while they were the only loaded version of their name, by name. */
    private final Map<String, Entry> handovers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService loads = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "osprey-model-loader");
        t.setDaemon(true);
        return t;
    });
    private final BundleTracker<Entry> tracker;

    @Activate
    public ModelExtender(BundleContext context, OnnxRuntimeConfiguration config) {
        this.context = context;
        this.engine = new OnnxEngine(new EngineSettings(config.intraOpThreads(), config.interOpThreads(),
                EngineSettings.optimization(config.optimization()), config.executionProvider(), config.spinning(),
                ImageLimits.of(config.maxImageMegapixels(), config.maxImageSide())));
        this.loader = new ModelLoader(engine);
        this.tracker = new BundleTracker<>(context, Bundle.STARTING | Bundle.ACTIVE, null) {
            @Override
            public Entry addingBundle(Bundle bundle, BundleEvent event) {
                return bundle.getHeaders("").get(ModelDescriptor.HEADER) == null ? null : added(bundle);
            }

            @Override
            public void removedBundle(Bundle bundle, BundleEvent event, Entry entry) {
                removed(entry);
            }
        };
        tracker.open();
        // a model bundle has no code, so nothing is gained by leaving one installed but not started (the web
        // console's upload does that unless "Start Bundle" is ticked): start it. One the user stopped stays stopped.
        context.addBundleListener(starter);
        for (Bundle b : context.getBundles()) {
            if (b.getState() == Bundle.INSTALLED) {
                startIfModel(b);
            }
        }
    }

    private final BundleListener starter = event -> {
        if (event.getType() == BundleEvent.INSTALLED) {
            startIfModel(event.getBundle());
        }
    };

    private void startIfModel(Bundle bundle) {
        var headers = bundle.getHeaders("");
        if (headers.get(ModelDescriptor.HEADER) == null || headers.get(Constants.BUNDLE_ACTIVATOR) != null) {
            return;
        }
        loads.execute(() -> {
            try {
                if (bundle.getState() == Bundle.INSTALLED || bundle.getState() == Bundle.RESOLVED) {
                    bundle.start();
                    LOG.info("Started model bundle {} {}, installed without being started", bundle.getSymbolicName(), bundle.getVersion());
                }
            } catch (BundleException | IllegalStateException e) {
                LOG.warn("Model bundle {} {} could not be started: {}", bundle.getSymbolicName(), bundle.getVersion(), e.getMessage());
            }
        });
    }

    @Deactivate
    void deactivate() {
        context.removeBundleListener(starter);
        tracker.close();
        handovers.values().forEach(this::retire);
        handovers.clear();
        loads.shutdownNow();
        try {
            loads.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        engine.close();
    }

    private Entry added(Bundle bundle) {
        Entry entry = new Entry(bundle);
        entries.put(bundle.getBundleId(), entry);
        loads.execute(() -> load(entry));
        return entry;
    }

    private void load(Entry entry) {
        Bundle bundle = entry.bundle;
        String descriptorPath = bundle.getHeaders("").get(ModelDescriptor.HEADER).strip();
        long start = System.nanoTime();
        BundleModelFiles files = new BundleModelFiles(bundle);
        OnnxModel model;
        try {
            ModelDescriptor d = ModelLoader.descriptor(files, descriptorPath);
            synchronized (entry) {
                entry.name = d.name;
                entry.task = d.taskValue();
            }
            model = loader.load(files, descriptorPath, entry.version);
        } catch (ModelLoadException e) {
            fail(entry, e.getMessage());
            return;
        } catch (RuntimeException | LinkageError e) {
            LOG.error("Model bundle {} {} (bundle {}) failed unexpectedly", bundle.getSymbolicName(), entry.version, bundle.getBundleId(), e);
            fail(entry, "unexpected error: " + e);
            return;
        }
        synchronized (entry) {
            if (entry.removed) {
                model.retire();
                return;
            }
            entry.model = model;
            entry.state = State.REPLACED;
            entry.since = Instant.now();
            entry.registration = context.registerService(Model.class, model, properties(entry, model));
        }
        Entry previous = handovers.remove(entry.name);
        if (previous != null) {
            retire(previous);
        }
        LOG.info("Model {} {} loaded from bundle {} ({}, {}x{}, {} labels) in {} ms", entry.name, entry.version,
                bundle.getBundleId(), entry.task.property(), model.info().inputWidth(), model.info().inputHeight(),
                model.info().labels().size(), (System.nanoTime() - start) / 1_000_000);
    }

    private void fail(Entry entry, String message) {
        synchronized (entry) {
            entry.state = State.FAILED;
            entry.message = message;
            entry.since = Instant.now();
        }
        LOG.error("Model bundle {} {} (bundle {}) is not loaded, nothing else changed: {}", entry.bundle.getSymbolicName(),
                entry.version, entry.bundle.getBundleId(), message);
    }

    private static Hashtable<String, Object> properties(Entry entry, OnnxModel model) {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(Model.NAME, entry.name);
        p.put(Model.VERSION, entry.version);
        p.put(Model.TASK, entry.task.property());
        p.put(Constants.SERVICE_RANKING, ranking(entry.bundle.getVersion()));
        p.put(Constants.SERVICE_DESCRIPTION, model.info().toString());
        p.put(BUNDLE_PROPERTY, entry.bundle.getBundleId());
        return p;
    }

    /** Higher version, higher ranking: a lookup by name gets the newest with no re-ranking of the others. */
    static int ranking(Version v) {
        return Math.min(v.getMajor(), 999) * 1_000_000 + Math.min(v.getMinor(), 999) * 1_000 + Math.min(v.getMicro(), 999);
    }

    private void removed(Entry entry) {
        boolean wasServing;
        synchronized (entry) {
            entry.removed = true;
            wasServing = entry.model != null;
        }
        entries.remove(entry.bundle.getBundleId(), entry);
        boolean lastOfItsName = wasServing && entries.values().stream().noneMatch(e -> serves(e, entry.name));
        if (lastOfItsName) {
            // serve on until the next version of this name is loaded (an update), or the handover times out
            Entry earlier = handovers.put(entry.name, entry);
            if (earlier != null) {
                retire(earlier);
            }
            loads.schedule(() -> {
                if (handovers.remove(entry.name, entry)) {
                    retire(entry);
                }
            }, HANDOVER_SECONDS, TimeUnit.SECONDS);
            return;
        }
        retire(entry);
    }

    private static boolean serves(Entry e, String name) {
        synchronized (e) {
            return e.model != null && e.name.equals(name);
        }
    }

    /** Unregisters the model's service; its session closes once the requests still on it finish. */
    private void retire(Entry entry) {
        ServiceRegistration<Model> registration;
        OnnxModel model;
        synchronized (entry) {
            registration = entry.registration;
            model = entry.model;
            entry.registration = null;
            entry.model = null;
        }
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // already gone with the framework
            }
        }
        if (model != null) {
            model.retire();
            LOG.info("Model {} {} removed (bundle {})", entry.name, entry.version, entry.bundle.getBundleId());
        }
    }

    @Override
    public List<ModelRecord> models() {
        List<ModelRecord> records = new ArrayList<>();
        Map<String, Version> newest = new java.util.HashMap<>();
        List<Entry> snapshot = new ArrayList<>(entries.values());
        for (Entry e : snapshot) {
            synchronized (e) {
                if (e.model != null) {
                    newest.merge(e.name, e.bundle.getVersion(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
                }
            }
        }
        for (Entry e : snapshot) {
            synchronized (e) {
                State state = e.state;
                if (e.model != null) {
                    state = e.bundle.getVersion().equals(newest.get(e.name)) ? State.ACTIVE : State.REPLACED;
                }
                records.add(new ModelRecord(e.name, e.version, e.task, state, e.message, e.bundle.getBundleId(),
                        e.bundle.getSymbolicName(), e.since));
            }
        }
        records.sort(Comparator.comparing(ModelRecord::name)
                .thenComparing((ModelRecord r) -> Version.parseVersion(r.version()), Comparator.reverseOrder())
                .thenComparing(ModelRecord::bundleId));
        return records;
    }

    @Override
    public int openSessions() {
        return engine.openSessions();
    }
}
