package org.osprey.http.inference;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.time.Duration;
import java.util.List;

import org.junit.Test;
import org.osprey.api.vision.BoundingBox;
import org.osprey.api.vision.InferenceResult;
import org.osprey.api.vision.ModelInfo;
import org.osprey.api.vision.Prediction;
import org.osprey.api.vision.Task;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

public class ResponseFormatsTest {

    private static final ModelInfo MODEL = new ModelInfo("fruit", "2.1.0", Task.DETECTION, List.of("apple", "pear"), 320, 320);

    private static InferenceResult result(Prediction... p) {
        return InferenceResult.builder(MODEL).image(800, 600).predictions(List.of(p))
                .timings(Duration.ofMillis(1), Duration.ofMillis(7), Duration.ZERO).build();
    }

    private static JsonObject json(Object o) {
        return JsonParser.parseString(new GsonBuilder().serializeNulls().create().toJson(o)).getAsJsonObject();
    }

    @Test
    public void customVisionHasFractionsAndNullBoxesForClassification() {
        JsonObject o = json(CustomVisionFormat.of(result(Prediction.of("pear", 1, 0.75f, BoundingBox.of(0.25, 0.5, 0.5, 0.25)),
                Prediction.of("apple", 0, 0.5f, null))));
        assertEquals("fruit", o.get("project").getAsString());
        assertEquals("2.1.0", o.get("iteration").getAsString());
        assertEquals(36, o.get("id").getAsString().length());
        JsonObject pear = o.getAsJsonArray("predictions").get(0).getAsJsonObject();
        assertEquals(1, pear.get("tagId").getAsInt());
        assertEquals("pear", pear.get("tagName").getAsString());
        assertEquals(0.75, pear.get("probability").getAsDouble(), 0);
        assertEquals(0.25, pear.getAsJsonObject("boundingBox").get("left").getAsDouble(), 0);
        assertEquals(0.25, pear.getAsJsonObject("boundingBox").get("height").getAsDouble(), 0);
        assertEquals(true, o.getAsJsonArray("predictions").get(1).getAsJsonObject().get("boundingBox").isJsonNull());
    }

    @Test
    public void deepStackHasPixelsAndAppliesMinConfidence() {
        JsonObject o = json(DeepStackFormat.of(result(Prediction.of("pear", 1, 0.75f, BoundingBox.of(0.25, 0.5, 0.5, 0.25)),
                Prediction.of("apple", 0, 0.3f, BoundingBox.of(0, 0, 1, 1))), 0.4f, 12));
        assertEquals(true, o.get("success").getAsBoolean());
        assertEquals(1, o.get("count").getAsInt());
        JsonObject pear = o.getAsJsonArray("predictions").get(0).getAsJsonObject();
        assertEquals(200, pear.get("x_min").getAsInt());
        assertEquals(300, pear.get("y_min").getAsInt());
        assertEquals(600, pear.get("x_max").getAsInt());
        assertEquals(450, pear.get("y_max").getAsInt());
        assertEquals(7, o.get("inferenceMs").getAsInt());
        assertNull(o.get("error"));
    }
}
