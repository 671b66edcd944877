package org.osprey.launcher;

import java.util.Locale;

/**
 * Where osprey.jar has its natives (ONNX Runtime, FFmpeg): Linux on x86_64 and aarch64. Elsewhere the
 * start stops at once with one line, instead of failing deep inside a bundle.
 */
final class Platform {

    private Platform() {
    }

    /** Null when supported; else why not, in one line. */
    static String unsupported(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        String arch = osArch.toLowerCase(Locale.ROOT);
        boolean linux = os.startsWith("linux");
        boolean supportedArch = arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64") || arch.equals("arm64");
        if (linux && supportedArch) {
            return null;
        }
        return "this platform (" + osName + " " + osArch + ") is not supported: osprey.jar has ONNX Runtime and FFmpeg for Linux on x86_64 and"
                + " aarch64 (arm64) only" + (linux ? "; on a Raspberry Pi, use a 64-bit OS" : "; use the Docker image, or a Linux machine");
    }
}
