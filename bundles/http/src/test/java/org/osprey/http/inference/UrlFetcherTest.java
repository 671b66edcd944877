package org.osprey.http.inference;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.osprey.http.errors.ApiError;

import com.sun.net.httpserver.HttpServer;

/**
 * {@code POST /url}'s fetch against a real HTTP server on this machine: the address policy (loopback is
 * refused unless allowed), redirects checked again and limited, one deadline for a server that drips,
 * the body limit, and one answer for every failure.
 */
public class UrlFetcherTest {

    private static final byte[] IMAGE = "not really an image, but bytes".getBytes();
    private static final String[] LOCAL = {"127.0.0.1/32", "::1/128"};

    private HttpServer server;
    private String base;
    private final AtomicInteger dripping = new AtomicInteger();

    @Before
    public void serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/image", x -> {
            x.sendResponseHeaders(200, IMAGE.length);
            x.getResponseBody().write(IMAGE);
            x.close();
        });
        server.createContext("/redirect/", x -> {
            int n = Integer.parseInt(x.getRequestURI().getPath().substring("/redirect/".length()));
            x.getResponseHeaders().add("Location", n == 0 ? "/image" : "/redirect/" + (n - 1));
            x.sendResponseHeaders(302, -1);
            x.close();
        });
        server.createContext("/metadata", x -> {
            x.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data/");
            x.sendResponseHeaders(302, -1);
            x.close();
        });
        server.createContext("/secret", x -> {
            x.sendResponseHeaders(401, -1);
            x.close();
        });
        server.createContext("/big", x -> {
            x.sendResponseHeaders(200, 0); // chunked: the size is not said up front
            OutputStream out = x.getResponseBody();
            for (int i = 0; i < 64; i++) {
                out.write(new byte[1024]);
            }
            x.close();
        });
        server.createContext("/drip", x -> {
            dripping.incrementAndGet();
            x.sendResponseHeaders(200, 1000);
            OutputStream out = x.getResponseBody();
            try {
                for (int i = 0; i < 1000; i++) {
                    out.write('x');
                    out.flush();
                    Thread.sleep(200);
                }
            } catch (Exception e) {
                // the fetcher gave up: the connection is gone
            } finally {
                x.close();
            }
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @After
    public void stop() {
        server.stop(0);
    }

    private static UrlFetcher fetcher(String[] allow, String[] deny, long limit, int seconds) {
        return new UrlFetcher(limit, Duration.ofSeconds(seconds), new AddressPolicy(allow, deny));
    }

    private static void assertRefused(UrlFetcher f, String url) {
        ApiError e = assertThrows(ApiError.class, () -> f.fetch(url));
        assertEquals(url, 400, e.status);
        assertEquals("bad_url", e.code);
        assertEquals("every failure is said the same way", UrlFetcher.FAILED, e.getMessage());
    }

    @Test
    public void loopbackLinkLocalAndOwnAddressesAreRefusedByDefault() throws Exception {
        UrlFetcher f = fetcher(new String[0], new String[0], 1 << 20, 5);
        assertRefused(f, base + "/image");
        assertRefused(f, "http://localhost:" + server.getAddress().getPort() + "/image");
        assertRefused(f, "http://169.254.169.254/latest/meta-data/");
        assertRefused(f, "http://[::1]:1/");
        assertRefused(f, "http://0.0.0.0:" + server.getAddress().getPort() + "/image");
        assertRefused(f, "file:///etc/passwd");
        assertRefused(f, "http://127.0.0.1:99999/");
        assertRefused(f, "not a url at all");
    }

    @Test
    public void allowedAddressesAreFetchedAndRedirectsAreCheckedAndLimited() throws Exception {
        UrlFetcher f = fetcher(LOCAL, new String[0], 1 << 20, 5);
        assertArrayEquals(IMAGE, f.fetch(base + "/image"));
        assertArrayEquals("three redirects are followed", IMAGE, f.fetch(base + "/redirect/2"));
        assertRefused(f, base + "/redirect/3");
        assertRefused(f, base + "/metadata"); // allowed server, refused target
        assertRefused(f, base + "/secret");
        assertRefused(f, base + "/nothing-here");
        assertRefused(fetcher(LOCAL, new String[0], 10_000, 5), base + "/big");
        assertArrayEquals("allow wins over deny", IMAGE, fetcher(LOCAL, new String[] {"127.0.0.0/8"}, 1 << 20, 5).fetch(base + "/image"));
        assertRefused(fetcher(new String[0], new String[] {"10.0.0.0/8"}, 1 << 20, 5), "http://10.1.2.3/");
    }

    @Test
    public void oneDeadlineCoversTheWholeFetch() throws Exception {
        UrlFetcher f = fetcher(LOCAL, new String[0], 1 << 20, 2);
        long start = System.nanoTime();
        assertRefused(f, base + "/drip");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(1, dripping.get());
        assertTrue("a server sending 5 bytes a second is given up on at the deadline, took " + millis + " ms", millis < 3_500);
    }

    @Test
    public void cidrs() {
        AddressPolicy.Cidr ten = AddressPolicy.Cidr.parse("10.0.0.0/8");
        assertTrue(ten.contains(address("10.200.3.4")));
        assertTrue(!ten.contains(address("11.0.0.1")));
        assertTrue(AddressPolicy.Cidr.parse("fd00::/8").contains(address("fd12::1")));
        assertTrue(!AddressPolicy.Cidr.parse("fd00::/8").contains(address("10.0.0.1")));
        assertThrows(IllegalArgumentException.class, () -> AddressPolicy.Cidr.parse("example.com/8"));
        assertThrows(IllegalArgumentException.class, () -> AddressPolicy.Cidr.parse("10.0.0.0/33"));
        AddressPolicy defaults = new AddressPolicy(new String[0], new String[0]);
        assertNull("private ranges, where cameras live, are allowed", defaults.refusal(address("192.168.1.20")));
        assertTrue(defaults.refusal(address("169.254.169.254")) != null);
        assertTrue(defaults.refusal(address("fe80::1")) != null);
        assertTrue(defaults.refusal(address("fd00:ec2::254")) != null);
        assertTrue(defaults.refusal(address("224.0.0.1")) != null);
    }

    @Test
    public void theLogNeverShowsCredentials() {
        assertEquals("http://...@cam.local/snap.jpg?...", UrlFetcher.redacted("http://admin:hunter2@cam.local/snap.jpg?token=abc"));
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
