package org.osprey.inference.onnx.model;

import java.util.List;
import java.util.Map;

/**
 * A model's labels in model order, and the same labels in other languages ({@code labels_fr.txt} ...)
 * for speech.
 */
public record Labels(List<String> names, Map<String, List<String>> translations) {

    public Labels {
        names = List.copyOf(names);
        translations = Map.copyOf(translations);
    }

    /** Lines of a labels file: trimmed, blank lines dropped, a leading index ("0 person") kept as is. */
    public static List<String> parse(String text) {
        return text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    public String name(int index) {
        return index >= 0 && index < names.size() ? names.get(index) : "class " + index;
    }

    public int size() {
        return names.size();
    }
}
