package org.osprey.http.inference;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

import org.osgi.framework.ServiceReference;
import org.osprey.api.vision.Model;

/**
 * The models on offer, best first by service ranking (the model extender ranks newer versions of a
 * name higher): a lookup per request, so a newly installed version serves the very next request.
 */
final class ModelSelector {

    private final ConcurrentSkipListMap<ServiceReference<Model>, Model> models =
            new ConcurrentSkipListMap<>((a, b) -> b.compareTo(a));

    void add(ServiceReference<Model> ref, Model model) {
        models.put(ref, model);
    }

    void remove(ServiceReference<Model> ref) {
        models.remove(ref);
    }

    /** The best model of that name, or of any name when {@code name} is empty; null when there is none. */
    Model select(String name) {
        for (Map.Entry<ServiceReference<Model>, Model> e : models.entrySet()) {
            if (name.isEmpty() || name.equals(e.getKey().getProperty(Model.NAME))) {
                return e.getValue();
            }
        }
        return null;
    }

    boolean isEmpty() {
        return models.isEmpty();
    }
}
