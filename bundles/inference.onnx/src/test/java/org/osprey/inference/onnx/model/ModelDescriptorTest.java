package org.osprey.inference.onnx.model;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.junit.Test;
import org.osprey.inference.onnx.tensor.Layout;

public class ModelDescriptorTest {

    @Test
    public void defaultsFillWhatIsLeftOut() throws Exception {
        ModelDescriptor d = ModelDescriptor.parse("{\"name\":\"fruit\",\"task\":\"classification\",\"decoder\":\"classifier\",\"input\":{\"width\":224,\"height\":224}}");
        assertEquals("model.onnx", d.file);
        assertEquals("labels.txt", d.labels);
        assertEquals(Layout.NCHW, d.inputSpec().layout());
        assertEquals(224 * 224 * 3, d.inputSpec().elements());
        assertEquals(d.toJson(), ModelDescriptor.parse(d.toJson()).toJson());
    }

    @Test
    public void badDescriptorsSayWhatIsWrong() {
        assertMessage("{", "not valid JSON");
        assertMessage("{\"name\":\"a b\",\"task\":\"detection\",\"decoder\":\"x\",\"input\":{\"width\":1,\"height\":1}}", "name must be");
        assertMessage("{\"name\":\"a\",\"task\":\"segmentation\",\"decoder\":\"x\",\"input\":{\"width\":1,\"height\":1}}",
                "task must be classification or detection, was segmentation");
        assertMessage("{\"name\":\"a\",\"task\":\"detection\",\"decoder\":\"x\",\"input\":{\"width\":0,\"height\":1}}", "must be positive");
        assertMessage("{\"name\":\"a\",\"task\":\"detection\",\"decoder\":\"x\",\"input\":{\"width\":1,\"height\":1,\"layout\":\"CHW\"}}",
                "layout NCHW|NHWC");
        assertMessage("{\"name\":\"a\",\"task\":\"detection\",\"decoder\":\"x\",\"input\":{\"width\":1,\"height\":1,\"mean\":[1]}}",
                "one mean and std per channel");
        assertMessage("{\"name\":\"a\",\"task\":\"detection\",\"decoder\":\"x\",\"input\":{\"width\":1,\"height\":1},\"nmsIou\":0}", "nmsIou");
    }

    private static void assertMessage(String json, String expected) {
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelDescriptor.parse(json));
        assertTrue(e.getMessage(), e.getMessage().contains(expected));
    }
}
