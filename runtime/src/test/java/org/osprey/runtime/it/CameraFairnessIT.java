package org.osprey.runtime.it;

import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.Test;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osprey.api.pipeline.CameraPipeline;
import org.osprey.api.pipeline.PipelineStatus;
import org.osprey.tools.packager.ModelPackager;

/**
 * Many cameras on two cores, with real FFmpeg: eight 1080p H.264 cameras at 30 fps, each watched by
 * BlazeFace at 30 fps, then a ninth watched by a real model that takes tens of milliseconds a frame, which
 * is more than the cores can serve. Every camera gets its share (none starves), and the slow model takes
 * its own thread's share of the CPU, not the other cameras' turns.
 */
public class CameraFairnessIT extends OspreyTestSupport {

    private static final String VIDEO = "osprey.it.video";
    private static final String SLOW_MODEL = "osprey.it.slowmodel";
    private static final int SHARED = 8;

    @Override
    protected Option[] extraOptions() {
        try {
            Path dir = Files.createDirectories(Path.of("target", "pax-exam", "fairness").toAbsolutePath());
            Path video = dir.resolve("testsrc2-1080p-30fps-veryfast.mp4");
            if (!Files.isRegularFile(video)) {
                Process ffmpeg = new ProcessBuilder("ffmpeg", "-y", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
                        "testsrc2=size=1920x1080:rate=30", "-t", "10", "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "veryfast",
                        "-g", "30", video.toString()).inheritIO().start();
                if (ffmpeg.waitFor() != 0) {
                    throw new IllegalStateException("the ffmpeg command could not make the test video (Debian: apt-get install ffmpeg)");
                }
            }
            Path onnx = dir.resolve("slow.onnx"), labels = dir.resolve("slow.labels.txt"), jar = dir.resolve("slow-1.0.0.jar");
            Files.write(onnx, SlowModel.onnx());
            Files.writeString(labels, IntStream.range(0, SlowModel.CLASSES).mapToObj(i -> "class-" + i).collect(Collectors.joining("\n", "", "\n")),
                    StandardCharsets.UTF_8);
            ModelPackager.run(new String[] {"--model", onnx.toString(), "--labels", labels.toString(), "--name", "slow", "--output", jar.toString()});
            return new Option[] {systemProperty(VIDEO).value(video.toString()), systemProperty(SLOW_MODEL).value(jar.toString())};
        } catch (Exception e) {
            throw new IllegalStateException("cannot make the test video and the slow model", e);
        }
    }

    private Map<String, PipelineStatus> pipelines() throws Exception {
        Map<String, PipelineStatus> out = new LinkedHashMap<>();
        for (ServiceReference<CameraPipeline> ref : context.getServiceReferences(CameraPipeline.class, null)) {
            CameraPipeline p = context.getService(ref);
            try {
                out.put(p.cameraId(), p.status());
            } finally {
                context.ungetService(ref);
            }
        }
        return out;
    }

    @Test
    public void everyCameraGetsItsShareAndASlowModelHoldsBackOnlyItsOwn() throws Exception {
        ConfigurationAdmin admin = context.getService(context.getServiceReference(ConfigurationAdmin.class));
        Bundle slowModel = context.installBundle(Path.of(System.getProperty(SLOW_MODEL)).toUri().toString());
        List<Configuration> configurations = new ArrayList<>();
        List<String> shared = IntStream.range(0, SHARED).mapToObj(i -> "share-" + i).toList();
        try {
            slowModel.start();
            for (String id : shared) {
                configurations.add(videoCamera(admin, id));
                configurations.add(pipeline(admin, id, "blazeface"));
            }
            // the slow model's camera plays from the start; only its pipeline comes later
            configurations.add(videoCamera(admin, "slow"));
            awaitProcessing(shared);
            rates(shared); // the first ten seconds warm up: the JIT compiles the pipelines' paths
            Map<String, Double> alone = rates(shared);

            configurations.add(pipeline(admin, "slow", "slow"));
            awaitProcessing(List.of("slow"));
            Map<String, PipelineStatus> before = pipelines();
            Map<String, Double> beside = rates(shared);
            Map<String, PipelineStatus> after = pipelines();

            double slowest = beside.values().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            double fastest = beside.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            PipelineStatus slow = after.get("slow");
            String figures = "frames/s alone " + alone + ", beside the slow model " + beside + "; its camera " + slow;
            assertTrue("no camera starves: " + figures, slowest >= 0.5 * fastest && slowest >= 2);
            // the slow model's pipeline takes its own thread's share of the CPU, not the others' turns
            double meanAlone = alone.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            double meanBeside = beside.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            assertTrue("the other cameras keep most of their rate: " + figures, meanBeside >= 0.6 * meanAlone);
            assertTrue("the slow model is slow: " + figures, slow.stageMillis().getOrDefault("inference", 0.0) > 15);
            assertTrue("the slow model's camera is served: " + figures, slow.framesProcessed() - before.get("slow").framesProcessed() >= 10);
            assertTrue("the slow model's camera drops what it cannot take: " + figures, slow.framesDropped() > before.get("slow").framesDropped());
            System.out.printf(java.util.Locale.ROOT, "fairness: frames/s alone %s, beside the slow model %s; slow model inference %.0f ms%n", alone,
                    beside, slow.stageMillis().get("inference"));
        } finally {
            for (Configuration c : configurations) {
                c.delete();
            }
            slowModel.uninstall();
        }
    }

    private void awaitProcessing(List<String> cameras) throws Exception {
        long deadline = System.currentTimeMillis() + 90_000;
        Map<String, PipelineStatus> p = pipelines();
        while (!cameras.stream().allMatch(id -> p.containsKey(id) && p.get(id).framesProcessed() > 0) && System.currentTimeMillis() < deadline) {
            Thread.sleep(200); // polled until each pipeline has processed a frame, with a deadline
            p.clear();
            p.putAll(pipelines());
        }
        assertTrue("pipelines processing " + cameras + ": " + p, cameras.stream().allMatch(id -> p.containsKey(id) && p.get(id).framesProcessed() > 0));
    }

    /** Frames each pipeline processes a second, over ten seconds (the subject is the share each camera gets). */
    private Map<String, Double> rates(List<String> cameras) throws Exception {
        Map<String, PipelineStatus> before = pipelines();
        long from = System.nanoTime();
        Thread.sleep(10_000);
        Map<String, PipelineStatus> after = pipelines();
        double seconds = (System.nanoTime() - from) / 1e9;
        Map<String, Double> rates = new LinkedHashMap<>();
        for (String id : cameras) {
            rates.put(id, Math.round((after.get(id).framesProcessed() - before.get(id).framesProcessed()) / seconds * 10) / 10.0);
        }
        return rates;
    }

    /** A video camera playing the test file (30 fps, looped). */
    private static Configuration videoCamera(ConfigurationAdmin admin, String id) throws java.io.IOException {
        Configuration camera = admin.createFactoryConfiguration("org.osprey.camera.javacv", "?");
        Hashtable<String, Object> c = new Hashtable<>();
        c.put("camera.id", id);
        c.put("source", System.getProperty(VIDEO));
        camera.update(c);
        return camera;
    }

    /** A pipeline watching the camera at 30 fps with the model. */
    private static Configuration pipeline(ConfigurationAdmin admin, String id, String model) throws java.io.IOException {
        Configuration pipeline = admin.createFactoryConfiguration("org.osprey.pipeline", "?");
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("camera", id);
        p.put("model", model);
        p.put("fps", 30.0);
        pipeline.update(p);
        return pipeline;
    }
}
