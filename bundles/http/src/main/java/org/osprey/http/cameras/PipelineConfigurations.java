package org.osprey.http.cameras;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osprey.api.vision.Region;
import org.osprey.http.errors.ApiError;

/**
 * Cameras and pipelines as configurations, through their public PIDs and property names (the same ones a
 * deploy-folder file or the web console's form sets). A configuration made from a file in the deploy
 * folder is not changed here: it follows its file.
 */
final class PipelineConfigurations {

    static final String PIPELINE = "org.osprey.pipeline";
    /** Camera kinds a user can add, by their factory PID. */
    static final List<String> CAMERA_KINDS = List.of("org.osprey.camera.files", "org.osprey.camera.javacv", "org.osprey.camera.snapshot");
    static final String FROM_FILE = "felix.fileinstall.filename";

    private final ConfigurationAdmin admin;

    PipelineConfigurations(ConfigurationAdmin admin) {
        this.admin = admin;
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").replace("*", "\\*");
    }

    private Optional<Configuration> find(String filter) throws IOException {
        try {
            Configuration[] found = admin.listConfigurations(filter);
            return found == null || found.length == 0 ? Optional.empty() : Optional.of(found[0]);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    Optional<Configuration> pipeline(String camera) throws IOException {
        return find("(&(service.factoryPid=" + PIPELINE + ")(camera=" + escape(camera) + "))");
    }

    Optional<Configuration> camera(String camera) throws IOException {
        StringBuilder kinds = new StringBuilder("(|");
        CAMERA_KINDS.forEach(k -> kinds.append("(service.factoryPid=").append(k).append(')'));
        return find("(&" + kinds + ")(camera.id=" + escape(camera) + "))");
    }

    private static void changeable(Configuration c) throws ApiError {
        Object file = c.getProperties() == null ? null : c.getProperties().get(FROM_FILE);
        if (file != null) {
            throw new ApiError(409, "configured_by_file", "this is configured by the file " + file + " in the deploy folder: change the file");
        }
    }

    /** Replaces the pipeline's zones; each is checked first, so a wrong one changes nothing. */
    List<Region> setZones(String camera, List<String> zones) throws IOException, ApiError {
        List<Region> parsed = new ArrayList<>();
        for (String z : zones) {
            try {
                parsed.add(Region.parse(z));
            } catch (IllegalArgumentException e) {
                throw new ApiError(400, "bad_request", e.getMessage());
            }
        }
        if (parsed.stream().map(Region::name).distinct().count() != parsed.size()) {
            throw new ApiError(400, "bad_request", "two zones have the same name");
        }
        Configuration c = pipeline(camera).orElseThrow(() -> new ApiError(404, "not_found", "no pipeline is configured for camera " + camera));
        changeable(c);
        Dictionary<String, Object> p = c.getProperties();
        p.put("zones", parsed.stream().map(Region::toString).toArray(String[]::new));
        c.update(p);
        return parsed;
    }

    /** Checks what a camera form gives; the property of the source for the kind. */
    private static String sourceProperty(String id, String kind, String source, double fps) throws ApiError {
        if (id == null || !id.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
            throw new ApiError(400, "bad_request", "a camera id is letters, digits, '.', '_' or '-' (up to 64), was '" + id + "'");
        }
        if (!CAMERA_KINDS.contains(kind)) {
            throw new ApiError(400, "bad_request", "the kind is one of " + CAMERA_KINDS + ", was '" + kind + "'");
        }
        if (source == null || source.isBlank()) {
            throw new ApiError(400, "bad_request", "a camera needs a source");
        }
        if (!(fps > 0 && fps <= 120)) {
            throw new ApiError(400, "bad_request", "frame rates are above 0 and at most 120");
        }
        return switch (kind) {
            case "org.osprey.camera.files" -> "path";
            case "org.osprey.camera.snapshot" -> "url";
            default -> "source";
        };
    }

    /** A camera alone, for a test: the caller deletes the configuration. */
    Configuration addCamera(String id, String kind, String source, double fps) throws IOException, ApiError {
        String property = sourceProperty(id, kind, source, fps);
        Hashtable<String, Object> cam = new Hashtable<>();
        cam.put("camera.id", id);
        cam.put(property, source.strip());
        cam.put("fps", fps);
        Configuration c = admin.createFactoryConfiguration(kind, "?");
        c.update(cam);
        return c;
    }

    /**
     * Adds a camera and its pipeline.
     *
     * @param kind     a factory PID of {@link #CAMERA_KINDS}
     * @param source   the camera's path, source or URL, as its kind calls it
     */
    void add(String id, String kind, String source, double cameraFps, String model, double pipelineFps) throws IOException, ApiError {
        sourceProperty(id, kind, source, cameraFps);
        if (!(pipelineFps > 0 && pipelineFps <= 120)) {
            throw new ApiError(400, "bad_request", "frame rates are above 0 and at most 120");
        }
        if (camera(id).isPresent() || pipeline(id).isPresent()) {
            throw new ApiError(409, "exists", "a camera or pipeline " + id + " is already configured");
        }
        Hashtable<String, Object> pipe = new Hashtable<>();
        pipe.put("camera", id);
        pipe.put("model", model == null ? "" : model.strip());
        pipe.put("fps", pipelineFps);
        addCamera(id, kind, source, cameraFps);
        admin.createFactoryConfiguration(PIPELINE, "?").update(pipe);
    }

    /** Removes the camera's configuration and its pipeline's. */
    void remove(String id) throws IOException, ApiError {
        Optional<Configuration> cam = camera(id), pipe = pipeline(id);
        if (cam.isEmpty() && pipe.isEmpty()) {
            throw new ApiError(404, "not_found", "no camera or pipeline " + id + " is configured");
        }
        if (cam.isPresent()) {
            changeable(cam.get());
        }
        if (pipe.isPresent()) {
            changeable(pipe.get());
        }
        if (cam.isPresent()) {
            cam.get().delete();
        }
        if (pipe.isPresent()) {
            pipe.get().delete();
        }
    }
}
