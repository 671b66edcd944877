#!/usr/bin/python3
"""Generates the small ONNX models that stand in for each model format Osprey decodes.

Pretrained models of these formats cannot be downloaded where Osprey is built, so each model here has
exactly the input/output signature of its format (names, shapes, types, metadata) and outputs that are
known for a given input: constant detections, or class scores derived from the input's colours. The
tests (runtime/src/test/.../ModelFormatsIT.java) package them with the model packager and check the
labels and boxes POST /image answers against values worked out by hand.

Run with Debian's python3-onnx (apt-get install python3-onnx):
    /usr/bin/python3 tools/test-models/generate.py
The outputs are committed (tools/test-models/*.onnx, a few kB each); rerun after changing this file.
"""
import math
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
OPSET = [helper.make_opsetid("", 13)]


def const(name, array):
    return helper.make_node("Constant", [], [name], value=numpy_helper.from_array(np.asarray(array), name + "_value"))


def zero_from(input_name, prefix):
    """0 * mean(input): keeps the image input in the graph without changing constant outputs."""
    return [
        helper.make_node("ReduceMean", [input_name], [prefix + "_mean"], keepdims=0),
        const(prefix + "_zero", np.float32(0)),
        helper.make_node("Mul", [prefix + "_mean", prefix + "_zero"], [prefix + "_nothing"]),
    ], prefix + "_nothing"


def probe(input_name, prefix, channel, rows, cols, nhwc=False, uint8=False):
    """The mean of one channel of the input over rows x cols (half-open ranges), as a scalar."""
    if nhwc:
        axes, starts, ends = [1, 2, 3], [rows[0], cols[0], channel], [rows[1], cols[1], channel + 1]
    else:
        axes, starts, ends = [1, 2, 3], [channel, rows[0], cols[0]], [channel + 1, rows[1], cols[1]]
    nodes = [const(prefix + "_starts", np.array(starts, dtype=np.int64)), const(prefix + "_ends", np.array(ends, dtype=np.int64)),
             const(prefix + "_axes", np.array(axes, dtype=np.int64)),
             helper.make_node("Slice", [input_name, prefix + "_starts", prefix + "_ends", prefix + "_axes"], [prefix + "_patch"])]
    patch = prefix + "_patch"
    if uint8:
        nodes.append(helper.make_node("Cast", [patch], [prefix + "_patch_f"], to=TensorProto.FLOAT))
        patch = prefix + "_patch_f"
    nodes.append(helper.make_node("ReduceMean", [patch], [prefix], keepdims=0))
    return nodes, prefix


def modulated(name, base, terms):
    """base + sum(mask * probe): a constant output some of whose entries follow the input's pixels."""
    nodes, current = [const(name + "_base", np.asarray(base, dtype=np.float32))], name + "_base"
    for i, (mask, probe_nodes, probe_name) in enumerate(terms):
        nodes += probe_nodes + [const(f"{name}_mask{i}", np.asarray(mask, dtype=np.float32)),
                                helper.make_node("Mul", [f"{name}_mask{i}", probe_name], [f"{name}_term{i}"]),
                                helper.make_node("Add", [current, f"{name}_term{i}"], [f"{name}_sum{i}"])]
        current = f"{name}_sum{i}"
    return nodes + [helper.make_node("Identity", [current], [name])]


def save(name, nodes, inputs, outputs, metadata=None):
    graph = helper.make_graph(nodes, name, inputs, outputs)
    model = helper.make_model(graph, opset_imports=OPSET, producer_name="osprey-test-models")
    model.ir_version = 7
    for k, v in (metadata or {}).items():
        entry = model.metadata_props.add()
        entry.key, entry.value = k, v
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(HERE, name + ".onnx"))


def float_input(name, shape):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)


def output(name, shape, elem=TensorProto.FLOAT):
    return helper.make_tensor_value_info(name, elem, shape)


def classifier():
    """Generic classifier: logits = 10 * mean of each input channel (RGB): a red picture is 'red'."""
    nodes = [
        helper.make_node("ReduceMean", ["data"], ["means"], axes=[2, 3], keepdims=0),
        const("ten", np.float32(10)),
        helper.make_node("Mul", ["means", "ten"], ["logits"]),
    ]
    save("classifier", nodes, [float_input("data", [1, 3, 32, 32])], [output("logits", [1, 3])])


def customvision_classifier():
    """Azure Custom Vision classification export: BGR, 0-255 (from metadata), probabilities out.

    probabilities = softmax(0.02 * mean of each channel): a pure red picture fed as BGR 0-255 gives
    channel 2 (the third label) 0.987; fed as RGB or as 0-1 it would not.
    """
    nodes = [
        helper.make_node("ReduceMean", ["data"], ["means"], axes=[2, 3], keepdims=0),
        const("k", np.float32(0.02)),
        helper.make_node("Mul", ["means", "k"], ["logits"]),
        helper.make_node("Softmax", ["logits"], ["model_output"], axis=1),
    ]
    save("customvision-classifier", nodes, [float_input("data", [1, 3, 224, 224])], [output("model_output", [1, 3])],
         {"Image.BitmapPixelFormat": "Bgr8", "Image.ColorSpaceGamma": "SRGB", "Image.NominalPixelRange": "NominalRange_0_255"})


def customvision_classifier_legacy():
    """The older Custom Vision classification export: outputs classLabel (string) and loss, a sequence
    of label -> probability maps (ZipMap). Same scores as customvision-classifier."""
    labels = ["blue", "green", "red"]
    nodes = [
        helper.make_node("ReduceMean", ["data"], ["means"], axes=[2, 3], keepdims=0),
        const("k", np.float32(0.02)),
        helper.make_node("Mul", ["means", "k"], ["logits"]),
        helper.make_node("Softmax", ["logits"], ["probabilities"], axis=1),
        helper.make_node("ZipMap", ["probabilities"], ["loss"], domain="ai.onnx.ml", classlabels_strings=labels),
        helper.make_node("ArgMax", ["probabilities"], ["best"], axis=1, keepdims=0),
        helper.make_node("LabelEncoder", ["best"], ["classLabel"], domain="ai.onnx.ml", keys_int64s=[0, 1, 2], values_strings=labels),
    ]
    loss = onnx.TypeProto()
    loss.sequence_type.elem_type.map_type.key_type = TensorProto.STRING
    loss.sequence_type.elem_type.map_type.value_type.tensor_type.elem_type = TensorProto.FLOAT
    graph = helper.make_graph(nodes, "customvision-classifier-legacy", [float_input("data", [1, 3, 224, 224])],
                              [output("classLabel", [1], TensorProto.STRING), helper.make_value_info("loss", loss)])
    model = helper.make_model(graph, opset_imports=OPSET + [helper.make_opsetid("ai.onnx.ml", 2)], producer_name="osprey-test-models")
    model.ir_version = 7
    for k, v in {"Image.BitmapPixelFormat": "Bgr8", "Image.NominalPixelRange": "NominalRange_0_255"}.items():
        entry = model.metadata_props.add()
        entry.key, entry.value = k, v
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(HERE, "customvision-classifier-legacy.onnx"))


CV_ANCHORS = [(0.573, 0.677), (1.87, 2.06), (3.34, 5.47), (7.88, 3.53), (9.77, 9.17)]


def customvision_od():
    """Custom Vision object detection, compact domain: one raw grid [1, 5*(5+C), 13, 13], C = 2.

    Two live cells: (x 6, y 6, anchor 0) is a 'cat' box 0.2 x 0.3 centred in the picture, objectness
    logit 5 * R / 255 (R: red, the third channel of Bgr8, 0-255 as the metadata says; 5 for a red
    picture) and class logits (3, 0); (x 2, y 9, anchor 1) is a 'dog' box with objectness logit 2, class
    logits (0, 4). Every other anchor has objectness logit -20.
    """
    classes, grid = 2, 13
    raw = np.zeros((5, 5 + classes, grid, grid), dtype=np.float32)
    raw[:, 4, :, :] = -20
    a = 0
    raw[a, 0, 6, 6] = 0
    raw[a, 1, 6, 6] = 0
    raw[a, 2, 6, 6] = math.log(0.2 * grid / CV_ANCHORS[a][0])
    raw[a, 3, 6, 6] = math.log(0.3 * grid / CV_ANCHORS[a][1])
    raw[a, 4, 6, 6] = 0
    cat_objectness = np.zeros_like(raw)
    cat_objectness[a, 4, 6, 6] = 5 / 255
    raw[a, 5, 6, 6] = 3
    a = 1
    raw[a, 0, 9, 2] = 1.0
    raw[a, 1, 9, 2] = -1.0
    raw[a, 2, 9, 2] = 0
    raw[a, 3, 9, 2] = 0
    raw[a, 4, 9, 2] = 2
    raw[a, 6, 9, 2] = 4
    shape = (1, 5 * (5 + classes), grid, grid)
    nodes = modulated("model_outputs0", raw.reshape(shape), [(cat_objectness.reshape(shape), *probe("data", "red", 2, (180, 236), (180, 236)))])
    save("customvision-od", nodes, [float_input("data", [1, 3, 416, 416])], [output("model_outputs0", [1, 35, 13, 13])],
         {"Image.BitmapPixelFormat": "Bgr8", "Image.NominalPixelRange": "NominalRange_0_255"})


def customvision_s1():
    """Custom Vision object detection, compact [S1]: NMS in the graph; normalised x1,y1,x2,y2 boxes.

    RGB, 0-255. The 'pear' scores 0.9 * R / 255: 0.9 for a red picture.
    """
    z, nothing = zero_from("image_tensor", "z")
    boxes = np.array([[[0.1, 0.2, 0.5, 0.6], [0.6, 0.6, 0.9, 0.95]]], dtype=np.float32)
    nodes = z + [
        const("b", boxes), helper.make_node("Add", ["b", nothing], ["detected_boxes"]),
        const("detected_classes", np.array([[1, 0]], dtype=np.int64)),
    ] + modulated("detected_scores", [[0, 0.05]], [([[0.9 / 255, 0]], *probe("image_tensor", "red", 0, (140, 180), (140, 180)))])
    save("customvision-s1", nodes, [float_input("image_tensor", [1, 3, 320, 320])],
         [output("detected_boxes", [1, 2, 4]), output("detected_classes", [1, 2], TensorProto.INT64),
          output("detected_scores", [1, 2])])


def yolov3(tiny):
    """ONNX model zoo YOLOv3 / tiny-YOLOv3: boxes (y1,x1,y2,x2) in pixels of the original picture.

    The boxes are fractions times image_shape (h, w), so they are right only when the caller sends the
    size of the picture it letterboxed: dog (COCO 16) at x 0.1-0.5, y 0.25-0.75 with score 0.8; and a
    bicycle (COCO 1) at x 0.5-0.9, y 0.1-0.3 with score 0.6. scores is [1,80,N]; indices are
    (batch, class, box), [M,3] for YOLOv3 and [1,M,3] for tiny (which takes image_shape as int32 here).
    RGB, 0-1, letterboxed to 416x416 with grey 128: a 640x480 picture becomes 416x312 between two bands
    of 52 rows. The dog's score is 0.8 * R (from the content), the bicycle's 0.6 * G / (128/255) (from
    the top band): 0.8 and 0.6 when the picture is red and the padding grey 128.
    """
    fractions = np.array([[[0.25, 0.1, 0.75, 0.5], [0.1, 0.5, 0.3, 0.9], [0, 0, 0.1, 0.1]]], dtype=np.float32)
    scores = np.zeros((1, 80, 3), dtype=np.float32)
    dog, bicycle = np.zeros_like(scores), np.zeros_like(scores)
    dog[0, 16, 0] = 0.8
    bicycle[0, 1, 1] = 0.6 * 255 / 128
    scores[0, 5, 2] = 0.3  # not selected by the graph's NMS: must not show up
    indices = np.array([[0, 16, 0], [0, 1, 1]], dtype=np.int32)
    z, nothing = zero_from("input_1", "z")
    shape_in = "image_shape"
    nodes = list(z)
    if tiny:
        nodes.append(helper.make_node("Cast", ["image_shape"], ["shape_f"], to=TensorProto.FLOAT))
        shape_in = "shape_f"
    nodes += [
        helper.make_node("Concat", [shape_in, shape_in], ["hwhw"], axis=1),
        const("r", np.array([1, 1, 4], dtype=np.int64)),
        helper.make_node("Reshape", ["hwhw", "r"], ["hwhw3"]),
        const("f", fractions),
        helper.make_node("Mul", ["f", "hwhw3"], ["boxes_raw"]),
        helper.make_node("Add", ["boxes_raw", nothing], ["yolonms_layer_1/ExpandDims_1:0"]),
    ] + modulated("yolonms_layer_1/ExpandDims_3:0", scores, [(dog, *probe("input_1", "red", 0, (180, 236), (180, 236))),
                                                          (bicycle, *probe("input_1", "pad", 1, (0, 40), (0, 416)))]) + [
        const("yolonms_layer_1/concat_2:0", indices.reshape(1, 2, 3) if tiny else indices),
    ]
    shape_type = TensorProto.INT32 if tiny else TensorProto.FLOAT
    save("tiny-yolov3" if tiny else "yolov3", nodes,
         [float_input("input_1", [1, 3, 416, 416]), helper.make_tensor_value_info("image_shape", shape_type, [1, 2])],
         [output("yolonms_layer_1/ExpandDims_1:0", [1, 3, 4]), output("yolonms_layer_1/ExpandDims_3:0", [1, 80, 3]),
          output("yolonms_layer_1/concat_2:0", [1, 2, 3] if tiny else [2, 3], TensorProto.INT32)])


# YOLOv5/v8 rows in pixels of the 320x320 letterboxed input: cx, cy, w, h, (objectness,) class scores.
# A 640x480 picture is 320x240 between two bands of 40 rows of grey 114. The pears' class scores are
# multiplied by R (in the content), the apple's by G / (114/255) (in the top band): as written for a red
# picture fed as RGB 0-1 with the padding YOLOv5 and v8 were trained with.
YOLO_ROWS = [
    (160, 120, 64, 48, 0.9, [0.1, 0.95]),   # a 'pear' in the middle
    (162, 121, 64, 48, 0.9, [0.1, 0.90]),   # the same pear again: NMS removes it
    (80, 200, 32, 32, 0.8, [0.7, 0.2]),     # an 'apple' lower left
    (300, 300, 10, 10, 0.05, [0.9, 0.1]),   # below the threshold
]


def yolo_probes(rows, score_column):
    """The masks that tie the pears' (rows 0, 1; class 1) and the apple's (row 2, class 0) scores to the input."""
    red, pad = np.zeros_like(rows), np.zeros_like(rows)
    for r in (0, 1):
        red[r, score_column + 1] = rows[r, score_column + 1]
        rows[r, score_column + 1] = 0
    pad[2, score_column] = rows[2, score_column] * 255 / 114
    rows[2, score_column] = 0
    return [(red, *probe("images", "red", 0, (150, 170), (150, 170))), (pad, *probe("images", "pad", 1, (0, 20), (0, 320)))]


def yolov5():
    rows = np.array([[cx, cy, w, h, obj] + cls for cx, cy, w, h, obj, cls in YOLO_ROWS], dtype=np.float32)
    terms = yolo_probes(rows, 5)
    nodes = modulated("output0", rows[None], [(mask[None], *p) for mask, *p in terms])
    save("yolov5", nodes, [float_input("images", [1, 3, 320, 320])], [output("output0", [1, 4, 7])])


def yolov8():
    # no objectness: class scores are the final scores; transposed to [1, 4+C, N]
    rows = np.array([[cx, cy, w, h] + [c * obj for c in cls] for cx, cy, w, h, obj, cls in YOLO_ROWS], dtype=np.float32)
    terms = yolo_probes(rows, 4)
    nodes = modulated("output0", rows.T[None].copy(), [(mask.T[None].copy(), *p) for mask, *p in terms])
    save("yolov8", nodes, [float_input("images", [1, 3, 320, 320])], [output("output0", [1, 6, 4])])


def ssd_tf():
    """TF object detection API SSD export: uint8 NHWC input of any size; boxes (ymin,xmin,ymax,xmax).

    num_detections is 2: the third row is padding and must be ignored. Classes are 1-based COCO ids:
    18 is a dog, 2 a bicycle. RGB 0-255 as bytes: the dog scores 0.8 * R / 255, 0.8 for a red picture.
    """
    inp = helper.make_tensor_value_info("image_tensor:0", TensorProto.UINT8, [1, None, None, 3])
    nodes = [
        helper.make_node("Cast", ["image_tensor:0"], ["img_f"], to=TensorProto.FLOAT),
        helper.make_node("ReduceMean", ["img_f"], ["m"], keepdims=0),
        const("zero", np.float32(0)),
        helper.make_node("Mul", ["m", "zero"], ["nothing"]),
        const("n", np.array([2], dtype=np.float32)), helper.make_node("Add", ["n", "nothing"], ["num_detections:0"]),
        const("b", np.array([[[0.25, 0.1, 0.75, 0.5], [0.1, 0.5, 0.3, 0.9], [0, 0, 1, 1]]], dtype=np.float32)),
        helper.make_node("Add", ["b", "nothing"], ["detection_boxes:0"]),
    ] + modulated("detection_scores:0", [[0, 0.6, 0.99]], [([[0.8 / 255, 0, 0]], *probe("image_tensor:0", "red", 0, (0, 16), (0, 16), nhwc=True, uint8=True))]) + [
        const("c", np.array([[18, 2, 1]], dtype=np.float32)), helper.make_node("Add", ["c", "nothing"], ["detection_classes:0"]),
    ]
    save("ssd-mobilenet", nodes, [inp], [output("num_detections:0", [1]), output("detection_boxes:0", [1, 3, 4]),
                                         output("detection_scores:0", [1, 3]), output("detection_classes:0", [1, 3])])


if __name__ == "__main__":
    classifier()
    customvision_classifier()
    customvision_classifier_legacy()
    customvision_od()
    customvision_s1()
    yolov3(tiny=False)
    yolov3(tiny=True)
    yolov5()
    yolov8()
    ssd_tf()
    print("written:", ", ".join(sorted(f for f in os.listdir(HERE) if f.endswith(".onnx"))))
