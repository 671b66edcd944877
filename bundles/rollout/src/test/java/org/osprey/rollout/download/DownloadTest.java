package org.osprey.rollout.download;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osprey.testsupport.HttpsFileServer;
import org.osprey.testsupport.TestCa;

/** Downloads from a real HTTPS server (JDK HttpsServer, certificate from a test CA), with its faults. */
public class DownloadTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();
    private static TestCa ca;
    private static HttpsFileServer server;
    private static final byte[] JAR = new byte[300_000];

    @BeforeClass
    public static void start() throws Exception {
        new Random(7).nextBytes(JAR);
        ca = new TestCa(tmp.newFolder("ca").toPath());
        server = new HttpsFileServer(ca, tmp.getRoot().toPath());
        server.serve("fruit-1.2.0.jar", JAR);
    }

    @AfterClass
    public static void stop() {
        server.close();
    }

    private static Download trustingTheCa(int timeoutMillis) {
        return new Download(Trust.context(ca.caFile()), 10_000_000, timeoutMillis, false);
    }

    private static Download.Failure failure(Download d, String url, Path file) {
        try {
            d.fetch(url, file, s -> { }, b -> { });
        } catch (Download.Failure f) {
            return f;
        }
        throw new AssertionError("the download of " + url + " succeeded");
    }

    @Test
    public void fetchesTheWholeFileAndSaysItsSize() throws Exception {
        Path file = tmp.getRoot().toPath().resolve("whole.part");
        AtomicLong size = new AtomicLong();
        AtomicLong progress = new AtomicLong();
        trustingTheCa(5000).fetch(server.url("fruit-1.2.0.jar"), file, size::set, progress::set);
        assertArrayEquals(JAR, Files.readAllBytes(file));
        assertEquals(JAR.length, size.get());
        assertEquals(JAR.length, progress.get());
    }

    /** A connection cut in the middle fails, to be tried again; the next attempt asks for the rest only. */
    @Test
    public void aCutDownloadResumesWhereItStopped() throws Exception {
        Path file = tmp.getRoot().toPath().resolve("cut.part");
        server.serve("cut.jar", JAR);
        server.cutOnce("cut.jar", 100_000);
        Download d = trustingTheCa(5000);
        Download.Failure f = failure(d, server.url("cut.jar"), file);
        assertTrue(f.getMessage(), f.retry());
        long kept = Files.size(file);
        assertTrue("kept " + kept, kept > 0 && kept <= 100_000);
        d.fetch(server.url("cut.jar"), file, s -> { }, b -> { });
        assertArrayEquals(JAR, Files.readAllBytes(file));
        List<String> asked = server.requests.stream().filter(r -> r.contains("/cut.jar")).toList();
        assertEquals(List.of("GET /cut.jar", "GET /cut.jar bytes=" + kept + "-"), asked);
    }

    @Test
    public void aStalledDownloadTimesOutToBeTriedAgain() throws Exception {
        Path file = tmp.getRoot().toPath().resolve("stall.part");
        server.serve("stall.jar", JAR);
        server.stallOnce("stall.jar", 1000);
        Download.Failure f = failure(trustingTheCa(1000), server.url("stall.jar"), file);
        assertTrue(f.getMessage(), f.retry());
        assertTrue(f.getMessage(), f.getMessage().contains("no data for 1 s"));
    }

    @Test
    public void aServerTheTrustStoreDoesNotKnowIsRefusedForGood() throws Exception {
        Download.Failure f = failure(new Download(Trust.context(null), 10_000_000, 5000, false), server.url("fruit-1.2.0.jar"),
                tmp.getRoot().toPath().resolve("untrusted.part"));
        assertFalse(f.getMessage(), f.retry());
        assertTrue(f.getMessage(), f.getMessage().startsWith("TLS with localhost failed"));
    }

    @Test
    public void refusalsSayWhy() throws Exception {
        Path file = tmp.getRoot().toPath().resolve("refused.part");
        Download.Failure http = failure(trustingTheCa(5000), "http://localhost/fruit.jar", file);
        assertFalse(http.retry());
        assertEquals("the url must be https, was http://localhost/fruit.jar", http.getMessage());

        Download.Failure missing = failure(trustingTheCa(5000), server.url("nothing.jar?sig=secret"), file);
        assertFalse(missing.retry());
        assertTrue(missing.getMessage(), missing.getMessage().startsWith("HTTP 404 from"));
        assertFalse("a SAS token is never shown: " + missing.getMessage(), missing.getMessage().contains("secret"));

        Download.Failure big = failure(new Download(Trust.context(ca.caFile()), 1000, 5000, false), server.url("fruit-1.2.0.jar"), file);
        assertFalse(big.retry());
        assertEquals("the file is " + JAR.length + " bytes, more than the limit of 1000", big.getMessage());
        assertFalse("nothing was kept of a refused file", Files.exists(file) && Files.size(file) > 0);

        assertTrue("a server that is down may be up later", failure(trustingTheCa(5000), "https://localhost:1/fruit.jar", file).retry());
    }
}
