package org.osprey.camera.files;

import java.io.IOException;
import java.util.List;

/** Where a file camera's pictures come from; listed again on every round, so new files are picked up. */
interface ImageFiles {

    /** The pictures in order, by a name the camera reports. */
    List<String> list() throws IOException;

    byte[] read(String name) throws IOException;

    /** What the camera reads, for status messages. */
    String describe();
}
