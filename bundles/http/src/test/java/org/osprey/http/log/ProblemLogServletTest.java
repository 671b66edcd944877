package org.osprey.http.log;

import static org.junit.Assert.assertEquals;

import java.util.List;

import org.junit.Test;

public class ProblemLogServletTest {

    @Test
    public void aWarningAndAnErrorWithItsStackTrace() {
        List<ProblemLogServlet.Entry> entries = ProblemLogServlet.parse(List.of(
                "2026-11-27 20:01:02.003 [osprey-pipeline-door] WARN runner.PipelineRunner - Pipeline for camera door not started: invalid configuration: x",
                "2026-11-27 20:01:03.004 [main] ERROR scr - failed to activate",
                "java.lang.IllegalStateException: broken",
                "\tat org.example.A.b(A.java:1)"));
        assertEquals(2, entries.size());
        assertEquals("WARN", entries.get(0).level());
        assertEquals("osprey-pipeline-door", entries.get(0).thread());
        assertEquals("runner.PipelineRunner", entries.get(0).logger());
        assertEquals("Pipeline for camera door not started: invalid configuration: x", entries.get(0).message());
        assertEquals("", entries.get(0).detail());
        assertEquals("ERROR", entries.get(1).level());
        assertEquals("java.lang.IllegalStateException: broken\n\tat org.example.A.b(A.java:1)", entries.get(1).detail());
    }
}
