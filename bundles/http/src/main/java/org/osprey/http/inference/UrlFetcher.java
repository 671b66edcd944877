package org.osprey.http.inference;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.osprey.http.errors.ApiError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jakarta.servlet.http.HttpServletResponse;

/**
 * The image behind a URL for {@code POST /url}, fetched with care since anyone may ask: one deadline for
 * the whole fetch (each redirect, the headers and the body), the body limited like an upload, at most
 * {@value #MAX_REDIRECTS} redirects each checked again, and the {@link AddressPolicy} applied to every
 * address a host resolves to. Every failure gives the client the same answer, so it cannot map what the
 * gateway can reach; the reason goes to the log (one line, at most one every ten seconds).
 */
final class UrlFetcher {

    static final int MAX_REDIRECTS = 3;
    static final String FAILED = "could not fetch an image from the URL";
    private static final Logger LOG = LoggerFactory.getLogger(UrlFetcher.class);
    private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** A failure whose reason is for the log, not the client. */
    private static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    private final HttpClient client;
    private final long limit;
    private final Duration timeout;
    private final AddressPolicy policy;
    private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);
    private final AtomicLong unlogged = new AtomicLong();

    UrlFetcher(long limit, Duration timeout, AddressPolicy policy) {
        this.limit = limit;
        this.timeout = timeout;
        this.policy = policy;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    byte[] fetch(String url) throws ApiError {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            URI uri = checked(url);
            for (int redirects = 0; ; redirects++) {
                HttpResponse<byte[]> r = exchange(uri, deadline);
                int status = r.statusCode();
                if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                    if (redirects == MAX_REDIRECTS) {
                        throw new Refused("more than " + MAX_REDIRECTS + " redirects");
                    }
                    String location = r.headers().firstValue("Location").orElseThrow(() -> new Refused("a redirect without a Location"));
                    try {
                        uri = checked(uri.resolve(location).toString());
                    } catch (IllegalArgumentException e) {
                        throw new Refused("a redirect to something that is not a URL");
                    }
                    continue;
                }
                if (status != 200) {
                    throw new Refused("HTTP " + status);
                }
                if (r.body() == null || r.body().length == 0) {
                    throw new Refused("an empty body");
                }
                return r.body();
            }
        } catch (Refused e) {
            log(url, e.getMessage());
            throw new ApiError(HttpServletResponse.SC_BAD_REQUEST, "bad_url", FAILED);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "interrupted", "the gateway is stopping");
        }
    }

    private HttpResponse<byte[]> exchange(URI uri, long deadline) throws Refused, InterruptedException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new Refused("no complete answer within " + timeout.toSeconds() + " s");
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofNanos(left)).header("Accept", "image/*").GET().build();
        CompletableFuture<HttpResponse<byte[]>> answer = client.sendAsync(request,
                info -> info.statusCode() / 100 == 3 ? HttpResponse.BodySubscribers.replacing(null) : new Limited(limit));
        try {
            return answer.get(left, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new Refused("no complete answer within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new Refused(cause instanceof Refused ? cause.getMessage() : cause.toString());
        } catch (IllegalArgumentException e) {
            throw new Refused(e.getMessage());
        }
    }

    /** The URL if its scheme is http(s) and every address of its host may be fetched from. */
    private URI checked(String url) throws Refused {
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new Refused("not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new Refused("not an http(s) URL with a host");
        }
        if (uri.getPort() > 65535) {
            throw new Refused("port " + uri.getPort());
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            throw new Refused("unknown host " + uri.getHost());
        }
        for (InetAddress a : addresses) {
            String refusal = policy.refusal(a);
            if (refusal != null) {
                throw new Refused(uri.getHost() + " is " + a.getHostAddress() + ", " + refusal);
            }
        }
        return uri;
    }

    private void log(String url, String reason) {
        long now = System.nanoTime();
        long last = lastLogged.get();
        if (now - last >= LOG_EVERY_NANOS && lastLogged.compareAndSet(last, now)) {
            long more = unlogged.getAndSet(0);
            String shown = redacted(url);
            LOG.warn("POST /url {} refused: {}{}", shown, reason, more == 0 ? "" : " (and " + more + " more refused since the last line)");
        } else {
            unlogged.incrementAndGet();
        }
    }

    /** The URL for the log: without user info or query string, which may hold a camera's credentials. */
    static String redacted(String url) {
        String u = url.replaceAll("(?<=://)[^/@?#]*@", "...@").replaceAll("[?#].*", "?...");
        return u.length() > 200 ? u.substring(0, 200) + "..." : u;
    }

    /** Collects a body, cancelling the exchange once it passes the limit. */
    private static final class Limited implements HttpResponse.BodySubscriber<byte[]> {
        private final long limit;
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        Limited(long limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer b : items) {
                if (body.size() + (long) b.remaining() > limit) {
                    subscription.cancel();
                    result.completeExceptionally(new Refused("a body over the limit of " + limit + " bytes"));
                    return;
                }
                byte[] a = new byte[b.remaining()];
                b.get(a);
                body.write(a, 0, a.length);
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(body.toByteArray());
        }
    }
}
