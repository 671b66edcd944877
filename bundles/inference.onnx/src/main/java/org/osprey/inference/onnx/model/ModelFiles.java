package org.osprey.inference.onnx.model;

import java.io.IOException;
import java.util.List;

/** The files of a model bundle (or of a folder, in tests and in the packager), by path inside it. */
public interface ModelFiles {

    /** The file's bytes, or null when there is no such file. */
    byte[] read(String path) throws IOException;

    /** Paths of the files directly inside a folder ("" for the top). */
    List<String> list(String folder) throws IOException;
}
