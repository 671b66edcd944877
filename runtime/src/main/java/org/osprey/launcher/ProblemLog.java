package org.osprey.launcher;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.regex.Pattern;

/**
 * Keeps the gateway's warnings and errors in {@code $OSPREY_DATA/log/problems.log} as well as on standard
 * output, so a user sees why something failed without the process's output (the admin API's
 * {@code /api/v1/log} and the console's Log page read this file). A line is kept when its level is WARN
 * or ERROR, with the lines that follow it (a stack trace) until the next log line. The file is bounded:
 * past {@value #LIMIT} bytes it becomes {@code problems.log.1} and a new one is started.
 */
final class ProblemLog extends OutputStream {

    static final long LIMIT = 1 << 20;
    static final String FILE = "problems.log";
    /** slf4j-simple's line: date, time, [thread], level (see cnf/runtime.bnd). */
    private static final Pattern LOG_LINE = Pattern.compile("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\[[^\\]]*\\] (\\w+) ");

    private final OutputStream console;
    private final Path file;
    private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();
    private boolean keeping;
    private boolean broken;

    private ProblemLog(OutputStream console, Path file) {
        this.console = console;
        this.file = file;
    }

    /** Standard output (and error) from now on also feed the problem log in {@code folder}. */
    static void install(Path folder) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            System.err.println("osprey: no problem log in " + folder + ": " + e.getMessage());
            return;
        }
        Path file = folder.resolve(FILE);
        System.setOut(new PrintStream(new ProblemLog(System.out, file), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new ProblemLog(System.err, file), true, StandardCharsets.UTF_8));
    }

    @Override
    public synchronized void write(int b) throws IOException {
        console.write(b);
        pending.write(b);
        if (b == '\n') {
            endOfLine();
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        console.write(b, off, len);
        for (int i = off; i < off + len; i++) {
            pending.write(b[i]);
            if (b[i] == '\n') {
                endOfLine();
            }
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        console.flush();
    }

    private void endOfLine() throws IOException {
        String text = pending.toString(StandardCharsets.UTF_8);
        pending.reset();
        var m = LOG_LINE.matcher(text);
        if (m.find()) {
            // java.util.logging's lines (the deploy folder's, a few libraries') say WARNING and SEVERE
            keeping = java.util.Set.of("WARN", "ERROR", "WARNING", "SEVERE").contains(m.group(1));
        }
        if (keeping && !broken) {
            try {
                if (Files.exists(file) && Files.size(file) > LIMIT) {
                    Files.move(file, file.resolveSibling(FILE + ".1"), StandardCopyOption.REPLACE_EXISTING);
                }
                Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                broken = true; // a full disk must not stop the gateway's output
                byte[] said = ("osprey: the problem log " + file + " cannot be written: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8);
                try {
                    console.write(said);
                } catch (IOException ignored) {
                    // standard output is gone too
                }
            }
        }
    }
}
