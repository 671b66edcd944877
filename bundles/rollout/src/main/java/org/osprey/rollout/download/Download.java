package org.osprey.rollout.download;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;

/**
 * One HTTPS download into a file, resumed from what the file already holds (an HTTP range request; a
 * server that ignores it sends the whole file again). Bounded in size, and in time: a connection or a
 * read that makes no progress for the timeout fails. A failure says whether trying again may help.
 */
public final class Download {

    /** Why a download stopped; {@link #retry} says whether a later attempt may succeed. */
    public static final class Failure extends IOException {
        private static final long serialVersionUID = 1L;
        private final boolean retry;

        Failure(String message, boolean retry, Throwable cause) {
            super(message, cause);
            this.retry = retry;
        }

        public boolean retry() {
            return retry;
        }
    }

    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

    private final SSLContext tls;
    private final long maxBytes;
    private final int timeoutMillis;
    private final boolean allowHttp;

    public Download(SSLContext tls, long maxBytes, int timeoutMillis, boolean allowHttp) {
        this.tls = tls;
        this.maxBytes = maxBytes;
        this.timeoutMillis = timeoutMillis;
        this.allowHttp = allowHttp;
    }

    /**
     * Fetches {@code url} into {@code file}, after the bytes the file already holds.
     *
     * @param size told the total size once the server said it
     * @param progress told the bytes in the file as they arrive
     */
    public void fetch(String url, Path file, LongConsumer size, LongConsumer progress) throws Failure {
        URL u = checked(url);
        long have;
        HttpURLConnection c;
        try {
            have = Files.exists(file) ? Files.size(file) : 0;
            c = (HttpURLConnection) u.openConnection();
        } catch (IOException e) {
            throw new Failure(e.toString(), true, e);
        }
        try {
            if (c instanceof HttpsURLConnection https) {
                https.setSSLSocketFactory(tls.getSocketFactory());
            }
            c.setConnectTimeout(timeoutMillis);
            c.setReadTimeout(timeoutMillis);
            // redirects to another host are followed (storage services answer with them), never from https to http
            c.setInstanceFollowRedirects(true);
            if (have > 0) {
                c.setRequestProperty("Range", "bytes=" + have + "-");
            }
            int status = c.getResponseCode();
            if (!c.getURL().getProtocol().equals(u.getProtocol())) {
                throw new Failure("redirected from " + u.getProtocol() + " to " + c.getURL().getProtocol(), false, null);
            }
            boolean append;
            long total;
            if (status == 206) {
                Matcher m = CONTENT_RANGE.matcher(String.valueOf(c.getHeaderField("Content-Range")));
                if (!m.matches() || Long.parseLong(m.group(1)) != have) {
                    throw new Failure("the server answered the range from byte " + have + " with " + c.getHeaderField("Content-Range"), true, null);
                }
                append = true;
                total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
            } else if (status == 200) {
                append = false;
                total = c.getContentLengthLong();
            } else if (status == 416 && have > 0) {
                // the file holds all there is, or more than the server has now: start over
                Files.delete(file);
                throw new Failure("the server has no bytes after byte " + have + " (HTTP 416); starting over", true, null);
            } else {
                throw new Failure("HTTP " + status + " from " + redacted(url), status == 408 || status == 429 || status >= 500, null);
            }
            if (total > maxBytes) {
                throw new Failure("the file is " + total + " bytes, more than the limit of " + maxBytes, false, null);
            }
            size.accept(total);
            long written = copy(c.getInputStream(), file, append, append ? have : 0, progress);
            if (total >= 0 && written < total) {
                // a connection closed early can look like a normal end of the body
                throw new Failure("the connection ended after " + written + " of " + total + " bytes", true, null);
            }
        } catch (Failure f) {
            throw f;
        } catch (SocketTimeoutException e) {
            throw new Failure("no data for " + timeoutMillis / 1000 + " s from " + redacted(url), true, e);
        } catch (javax.net.ssl.SSLException e) {
            // a certificate the trust store does not know will not be trusted by trying again
            throw new Failure("TLS with " + u.getHost() + " failed: " + e.getMessage(), false, e);
        } catch (IOException e) {
            throw new Failure(e.toString(), true, e);
        } finally {
            c.disconnect();
        }
    }

    /** @return the bytes in the file after the copy */
    private long copy(InputStream body, Path file, boolean append, long have, LongConsumer progress) throws IOException {
        try (InputStream in = body;
                OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buffer = new byte[64 * 1024];
            long written = have;
            progress.accept(written);
            for (int n; (n = in.read(buffer)) >= 0;) {
                written += n;
                if (written > maxBytes) {
                    throw new Failure("the file is more than the limit of " + maxBytes + " bytes", false, null);
                }
                out.write(buffer, 0, n);
                progress.accept(written);
            }
            return written;
        }
    }

    private URL checked(String url) throws Failure {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
                throw new Failure("the url must be https" + (allowHttp ? " or http" : "") + ", was " + redacted(url), false, null);
            }
            if (uri.getHost() == null) {
                throw new Failure("the url has no host: " + redacted(url), false, null);
            }
            return uri.toURL();
        } catch (java.net.URISyntaxException | java.net.MalformedURLException | IllegalArgumentException e) {
            throw new Failure("not a url: " + e.getMessage(), false, e);
        }
    }

    /** The url without its query: storage services put access tokens (SAS) there, which must not be logged. */
    public static String redacted(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q) + "?...";
    }
}
