package org.osprey.http.inference;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osprey.http.errors.ApiError;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Reads a request body without holding a server thread while the client is slow (Servlet non-blocking
 * I/O), stopping at the limit as the bytes come and at a deadline for the whole body, so clients that
 * drip cannot take the server's threads. When the body is complete the handler runs on a server thread
 * and answers; the deadline or the limit answers 408 or 413 instead.
 */
final class BodyReader {

    /** What to do with a complete body; answers the request. */
    interface Handler {
        void handle(byte[] body) throws IOException;
    }

    /** Answers with an error in the API's JSON. */
    interface Failure {
        void answer(ApiError e) throws IOException;
    }

    private BodyReader() {
    }

    static void read(HttpServletRequest req, long limit, long timeoutMillis, Handler handler, Failure failure) throws IOException {
        ServletInputStream in = req.getInputStream();
        long declared = req.getContentLengthLong();
        // a declared length (within the limit, checked by the caller) is read in place: one array, no copy
        byte[] start = new byte[declared >= 0 ? (int) declared : 16 * 1024];
        int got = 0;
        if (declared > 0) {
            // what has already arrived is taken without waiting (without going async): a small image often
            // comes whole with its headers; only the rest is waited for without holding a thread
            for (int n; got < declared && in.available() > 0 && (n = in.read(start, got, (int) declared - got)) > 0;) {
                got += n;
            }
            if (got == declared) {
                handler.handle(start);
                return;
            }
        }
        int arrived = got;
        AsyncContext async = req.startAsync();
        async.setTimeout(timeoutMillis);
        AtomicBoolean answered = new AtomicBoolean();
        async.addListener(new AsyncListener() {
            @Override
            public void onTimeout(AsyncEvent event) throws IOException {
                if (answered.compareAndSet(false, true)) {
                    failure.answer(new ApiError(HttpServletResponse.SC_REQUEST_TIMEOUT, "timeout",
                            "the request body did not arrive within " + timeoutMillis / 1000 + " s"));
                    async.complete();
                }
            }

            @Override
            public void onComplete(AsyncEvent event) {
                // nothing to release: the body is on the heap
            }

            @Override
            public void onError(AsyncEvent event) {
                answered.set(true);
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
                // not restarted
            }
        });
        in.setReadListener(new ReadListener() {
            private byte[] body = start;
            private int size = arrived;

            @Override
            public void onDataAvailable() throws IOException {
                while (in.isReady() && !answered.get()) {
                    if (size == body.length) {
                        if (declared >= 0 || size >= limit) {
                            // more than declared, or than the limit: a read of one byte tells which
                            if (in.read() < 0) {
                                return;
                            }
                            fail(new ApiError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "too_large",
                                    "the request body is larger than the limit of " + limit + " bytes"));
                            return;
                        }
                        body = java.util.Arrays.copyOf(body, (int) Math.min(limit, 2L * body.length));
                    }
                    int n = in.read(body, size, body.length - size);
                    if (n < 0) {
                        return;
                    }
                    size += n;
                }
            }

            @Override
            public void onAllDataRead() throws IOException {
                if (answered.compareAndSet(false, true)) {
                    try {
                        handler.handle(size == body.length ? body : java.util.Arrays.copyOf(body, size));
                    } finally {
                        async.complete();
                    }
                }
            }

            @Override
            public void onError(Throwable t) {
                try {
                    fail(new ApiError(HttpServletResponse.SC_BAD_REQUEST, "bad_request", "the request body could not be read: "
                            + (t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage())));
                } catch (IOException | IllegalStateException e) {
                    // the client is gone
                }
            }

            private void fail(ApiError e) throws IOException {
                if (answered.compareAndSet(false, true)) {
                    try {
                        // the rest of the body is not read: the connection is closed after the answer
                        ((HttpServletResponse) async.getResponse()).setHeader("Connection", "close");
                        failure.answer(e);
                    } finally {
                        async.complete();
                    }
                }
            }
        });
    }
}
