package org.osprey.runtime.docker;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.Test;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * What can be checked of docker/ without a Docker engine or Azure: the IoT Edge manifest's rules that a
 * deployment refuses it for (the edgeHub schema version the template format requires, createOptions that
 * are JSON, the route from output1), that every variable it uses is in the .env template, that it carries
 * no password and no placeholder camera; that the layered example only sets the module's twin; and that the
 * Dockerfile runs the package script CI checks, as a fixed non-root user, with a health check on
 * /health/ready. (The public IoT Edge JSON schemas are not reachable from this project's build: these
 * are the rules of theirs that a deployment of this manifest depends on.)
 */
public class DeploymentFilesTest {

    private static final Path DOCKER = Path.of(System.getProperty("osprey.docker.dir", "../docker"));
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?([A-Z][A-Z0-9_]*)\\}?");

    private static JsonObject json(String file) throws IOException {
        return JsonParser.parseString(Files.readString(DOCKER.resolve(file))).getAsJsonObject();
    }

    @Test
    public void theManifestFollowsTheTemplateFormatItNames() throws Exception {
        JsonObject m = json("deployment.template.json");
        assertEquals("4.0.0", m.get("$schema-template").getAsString());
        JsonObject content = m.getAsJsonObject("modulesContent");
        JsonObject agent = content.getAsJsonObject("$edgeAgent").getAsJsonObject("properties.desired");
        JsonObject hub = content.getAsJsonObject("$edgeHub").getAsJsonObject("properties.desired");
        assertTrue(Set.of("1.0", "1.1").contains(agent.get("schemaVersion").getAsString()));
        assertEquals("template 4.0.0 requires edgeHub schema 1.2", "1.2", hub.get("schemaVersion").getAsString());
        assertEquals("docker", agent.getAsJsonObject("runtime").get("type").getAsString());

        JsonObject osprey = agent.getAsJsonObject("modules").getAsJsonObject("osprey");
        for (String required : new String[] {"version", "type", "status", "restartPolicy", "settings"}) {
            assertTrue("module needs " + required, osprey.has(required));
        }
        JsonObject create = JsonParser.parseString(osprey.getAsJsonObject("settings").get("createOptions").getAsString()).getAsJsonObject();
        assertTrue(create.toString(), create.getAsJsonObject("HostConfig").getAsJsonObject("PortBindings").has("8885/tcp"));
        for (String module : new String[] {"edgeAgent", "edgeHub"}) {
            JsonObject settings = agent.getAsJsonObject("systemModules").getAsJsonObject(module).getAsJsonObject("settings");
            JsonParser.parseString(settings.get("createOptions").getAsString()); // a string holding JSON
        }

        Set<String> env = osprey.getAsJsonObject("env").keySet();
        assertEquals("the hash, never the password", Set.of("OSPREY_ADMIN_PASSWORD_HASH"), env);
        assertTrue(hub.getAsJsonObject("routes").entrySet().stream()
                .anyMatch(r -> r.getValue().getAsString().startsWith("FROM /messages/modules/osprey/outputs/output1 ")));

        JsonObject twin = content.getAsJsonObject("osprey").getAsJsonObject("properties.desired");
        assertFalse("no placeholder camera", twin.keySet().stream().anyMatch(k -> k.startsWith("camera_") || k.equals("pipeline")));
    }

    @Test
    public void everyVariableOfTheManifestIsInTheEnvTemplateAndNoOther() throws Exception {
        Set<String> used = new TreeSet<>();
        Matcher m = VARIABLE.matcher(Files.readString(DOCKER.resolve("deployment.template.json")));
        while (m.find()) {
            used.add(m.group(1));
        }
        used.remove("upstream"); // the route's $upstream is not a variable (lower case: not matched anyway)
        Set<String> listed = Files.readAllLines(DOCKER.resolve(".env.template")).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).map(l -> l.substring(0, l.indexOf('='))).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(used, listed);
    }

    @Test
    public void theLayeredExampleSetsOnlyTheModuleTwin() throws Exception {
        JsonObject content = json("layered-deployment.example.json").getAsJsonObject("modulesContent");
        assertEquals(Set.of("osprey"), content.keySet());
        for (Map.Entry<String, JsonElement> e : content.getAsJsonObject("osprey").entrySet()) {
            assertTrue(e.getKey(), e.getKey().startsWith("properties.desired."));
            assertTrue(e.getKey(), e.getValue().isJsonObject());
        }
    }

    @Test
    public void theDockerfileRunsThePackageScriptAsAFixedNonRootUserWithAReadinessCheck() throws Exception {
        String dockerfile = Files.readString(DOCKER.resolve("Dockerfile"));
        assertTrue(dockerfile.contains("FROM --platform=$BUILDPLATFORM debian:bookworm-slim AS build"));
        assertTrue("runtime on the distribution the script is checked on", dockerfile.contains("\nFROM debian:bookworm-slim\n"));
        assertTrue(dockerfile.contains("RUN /usr/local/sbin/install-runtime-packages.sh"));
        assertTrue(Files.isExecutable(DOCKER.resolve("install-runtime-packages.sh")));
        assertTrue(dockerfile.contains("--uid 10001") && dockerfile.contains("--groups audio,video"));
        assertTrue(dockerfile.contains("\nUSER osprey:osprey\n"));
        assertTrue(dockerfile.contains("/health/ready"));
        Matcher copy = Pattern.compile("COPY --from=build /osprey.jar (\\S+)").matcher(dockerfile);
        assertTrue(copy.find());
        assertTrue("the entrypoint runs the jar that was copied", dockerfile.contains("\"-jar\", \"" + copy.group(1) + "\""));
        assertTrue("the build stage makes that jar", dockerfile.contains("cp runtime/target/osprey.jar /osprey.jar"));
    }
}
