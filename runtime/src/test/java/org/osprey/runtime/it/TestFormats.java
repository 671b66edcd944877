package org.osprey.runtime.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.osprey.tools.packager.ModelPackager;

/**
 * Packages the generated model of every supported format (tools/test-models) with the model packager,
 * as a user would, in the test driver: each becomes {@code <format>-1.0.0.jar}.
 */
final class TestFormats {

    static final String PROPERTY = "osprey.it.formats";

    private TestFormats() {
    }

    static Path write(Path dir) throws Exception {
        Files.createDirectories(dir);
        Path models = Path.of(System.getProperty("osprey.test.models"));
        List<String> coco = Files.readAllLines(models.resolve("coco.names"));
        // TF exports number COCO's 90 ids from 1, with gaps: id 2 is a bicycle, id 18 a dog
        String coco90 = IntStream.rangeClosed(1, 90).mapToObj(i -> i == 2 ? "bicycle" : i == 18 ? "dog" : "coco-" + i)
                .collect(Collectors.joining("\n"));
        pack(dir, "classifier", "red\ngreen\nblue", "--option", "activation=softmax");
        pack(dir, "customvision-classifier", "blue\ngreen\nred");
        pack(dir, "customvision-classifier-legacy", "blue\ngreen\nred");
        pack(dir, "customvision-od", "cat\ndog");
        pack(dir, "customvision-s1", "apple\npear");
        pack(dir, "yolov3", String.join("\n", coco));
        pack(dir, "tiny-yolov3", String.join("\n", coco));
        pack(dir, "yolov5", "apple\npear");
        pack(dir, "yolov8", "apple\npear");
        pack(dir, "ssd-mobilenet", coco90);
        // a model trained on inputs normalised per channel: the same YOLOv8 with a mean and std to apply
        packAs(dir, "yolov8", "yolov8-normalised", "apple\npear", "--mean", "0.5,0.1,0.125", "--std", "2,1,2", "--threshold", "0.1");
        return dir;
    }

    private static void pack(Path dir, String format, String labels, String... more) throws Exception {
        packAs(dir, format, format, labels, more);
    }

    private static void packAs(Path dir, String format, String name, String labels, String... more) throws Exception {
        Path labelFile = dir.resolve(name + ".labels.txt");
        Files.writeString(labelFile, labels + "\n", StandardCharsets.UTF_8);
        List<String> args = new ArrayList<>(List.of("--model", Path.of(System.getProperty("osprey.test.models"), format + ".onnx").toString(),
                "--labels", labelFile.toString(), "--name", name, "--output", dir.resolve(name + "-1.0.0.jar").toString()));
        args.addAll(List.of(more));
        ModelPackager.run(args.toArray(new String[0]));
    }
}
