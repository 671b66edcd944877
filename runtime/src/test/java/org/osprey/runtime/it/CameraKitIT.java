package org.osprey.runtime.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * A third party's path, outside the repository: a project generated from the camera archetype with Maven,
 * built (its own unit tests included), its bundle dropped into a running gateway's deploy folder with a
 * configuration for it and a pipeline: the pipeline's event comes from the new camera.
 */
public class CameraKitIT {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** Runs Maven in the folder; the output is returned, a failure is an AssertionError with it. */
    private static String mvn(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("mvn", "-B", "-q", "-Dstyle.color=never"));
        command.addAll(List.of(args));
        Path log = Files.createTempFile("mvn", ".log");
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("mvn " + String.join(" ", args) + " took over 5 minutes: " + Files.readString(log));
            }
            String out = Files.readString(log);
            assertEquals("mvn " + String.join(" ", args) + ": " + out, 0, p.exitValue());
            return out;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    @Test
    public void aCameraFromTheArchetypeProducesAPipelinesEvent() throws Exception {
        Path repository = Path.of("..").toAbsolutePath().normalize();
        // what a third party gets from Osprey (until a release is on Central): the parent pom, the API and the archetype installed
        mvn(repository, "install", "-N", "-DskipTests");
        mvn(repository, "install", "-DskipTests", "-Dfuzz=", "-pl", "bundles/api,tools/camera-archetype");

        Path projects = tmp.newFolder("projects").toPath();
        mvn(projects, "org.apache.maven.plugins:maven-archetype-plugin:3.3.1:generate", "-DinteractiveMode=false",
                "-DarchetypeGroupId=org.osprey", "-DarchetypeArtifactId=osprey-camera-archetype", "-DarchetypeVersion=0.1.0-SNAPSHOT",
                "-DgroupId=com.example", "-DartifactId=door-camera", "-Dversion=1.0.0", "-Dpackage=com.example.door");
        Path project = projects.resolve("door-camera");
        mvn(project, "package");
        Path jar = project.resolve("target/door-camera-1.0.0.jar");
        assertTrue("the bundle was built: " + jar, Files.isRegularFile(jar));
        assertTrue("its own tests ran", Files.readString(project.resolve("target/surefire-reports/com.example.door.ImageCameraTest.txt"))
                .contains("Tests run: 2, Failures: 0, Errors: 0"));

        // as its README says: the jar and two configuration files into the deploy folder of a running gateway
        try (GatewayProcess gateway = new GatewayProcess(tmp.newFolder("gateway").toPath())) {
            gateway.start(Map.of());
            Path deploy = gateway.deploy();
            Files.copy(jar, deploy.resolve(jar.getFileName()));
            String photo = Path.of(System.getProperty("osprey.samples"), "astronaut.png").toAbsolutePath().toString();
            Files.writeString(deploy.resolve("com.example.door.camera-door.cfg"), "camera.id=door\npath=" + photo + "\nfps=2\n");
            Files.writeString(deploy.resolve("org.osprey.pipeline-door.cfg"), "camera=door\nmodel=blazeface\nfps=2\n");
            JsonObject event = null;
            long deadline = System.currentTimeMillis() + 90_000;
            while (event == null && System.currentTimeMillis() < deadline) {
                Thread.sleep(250); // polled until the event comes, with a deadline
                event = gateway.get("/api/v1/events").map(e -> e.getAsJsonArray("events")).map(CameraKitIT::fromDoor).orElse(null);
            }
            if (event == null) {
                gateway.keepLog("camera-kit");
            }
            assertTrue("an event from the archetype's camera; cameras " + gateway.get("/api/v1/cameras").orElse(null), event != null);
            assertEquals("appeared", event.get("type").getAsString());
            assertEquals("face", event.get("label").getAsString());
        }
    }

    private static JsonObject fromDoor(com.google.gson.JsonArray events) {
        for (JsonElement e : events) {
            if (e.getAsJsonObject().get("camera").getAsString().equals("door")) {
                return e.getAsJsonObject();
            }
        }
        return null;
    }
}
