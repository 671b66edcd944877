package org.osprey.http.events;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.whiteboard.annotations.RequireHttpWhiteboard;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.osprey.api.event.SnapshotStore;
import org.osprey.api.event.VisionEvent;
import org.osprey.api.event.VisionEventListener;
import org.osprey.http.auth.AdminContext;
import org.osprey.http.errors.JsonErrorPages;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /api/v1/events} (admin): the last {@value #KEPT} events as JSON, or, with
 * {@code Accept: text/event-stream}, a server-sent-events stream of new ones (one {@code data:} line of
 * JSON per event, the event id as the SSE id, a comment every 15 s to keep proxies from closing it);
 * {@code GET /api/v1/events/{id}/snapshot.jpg}: the picture kept of an event.
 */
@Component(service = {Servlet.class, VisionEventListener.class})
@RequireHttpWhiteboard
@HttpWhiteboardContextSelect(AdminContext.SELECT)
@HttpWhiteboardServletName("osprey-events")
@HttpWhiteboardServletPattern({"/v1/events", "/v1/events/*"})
public class EventsServlet extends HttpServlet implements VisionEventListener {

    static final int KEPT = 200;
    /** A stream reader that falls this far behind loses its oldest waiting events. */
    private static final int STREAM_BACKLOG = 500;
    private static final long serialVersionUID = 1L;
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private final transient ArrayDeque<VisionEvent> recent = new ArrayDeque<>();
    private final transient Set<BlockingQueue<VisionEvent>> streams = new CopyOnWriteArraySet<>();
    private volatile boolean open = true;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile SnapshotStore snapshots;

    @Override
    public void onEvent(VisionEvent event) {
        synchronized (recent) {
            if (recent.size() == KEPT) {
                recent.removeFirst();
            }
            recent.addLast(event);
        }
        for (BlockingQueue<VisionEvent> q : streams) {
            while (!q.offer(event)) {
                q.poll();
            }
        }
    }

    private boolean hasSnapshot(VisionEvent e) {
        SnapshotStore s = snapshots;
        return s != null && s.has(e.id());
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo();
        if (path != null && !path.equals("/")) {
            snapshot(path, resp);
            return;
        }
        String accept = req.getHeader("Accept");
        if (accept != null && accept.contains("text/event-stream")) {
            stream(resp);
            return;
        }
        List<EventJson> list = new ArrayList<>();
        synchronized (recent) {
            recent.descendingIterator().forEachRemaining(e -> list.add(EventJson.of(e, hasSnapshot(e))));
        }
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.getWriter().write(GSON.toJson(java.util.Map.of("events", list)));
    }

    /** {@code /{id}/snapshot.jpg}: the event's picture. */
    private void snapshot(String path, HttpServletResponse resp) throws IOException {
        String[] parts = path.split("/");
        SnapshotStore s = snapshots;
        Optional<byte[]> jpeg = parts.length == 3 && parts[2].equals("snapshot.jpg") && s != null ? s.snapshot(parts[1]) : Optional.empty();
        if (jpeg.isEmpty()) {
            JsonErrorPages.send(resp, 404, "not_found", parts.length == 3 && parts[2].equals("snapshot.jpg")
                    ? "no snapshot is kept for event " + parts[1] : "nothing here: /api/v1/events" + path);
            return;
        }
        resp.setContentType("image/jpeg");
        // an event's picture never changes
        resp.setHeader("Cache-Control", "private, max-age=86400, immutable");
        resp.setContentLength(jpeg.get().length);
        resp.getOutputStream().write(jpeg.get());
    }

    private void stream(HttpServletResponse resp) throws IOException {
        BlockingQueue<VisionEvent> q = new ArrayBlockingQueue<>(STREAM_BACKLOG);
        streams.add(q);
        try {
            resp.setContentType("text/event-stream");
            resp.setCharacterEncoding("UTF-8");
            resp.setHeader("Cache-Control", "no-store");
            PrintWriter out = resp.getWriter();
            out.write(": osprey events\n\n");
            resp.flushBuffer();
            while (open) {
                VisionEvent e = q.poll(15, TimeUnit.SECONDS);
                out.write(e == null ? ": keep-alive\n\n" : "id: " + e.id() + "\nevent: " + e.type().wireName() + "\ndata: " + GSON.toJson(EventJson.of(e, hasSnapshot(e))) + "\n\n");
                resp.flushBuffer();
                if (out.checkError()) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            streams.remove(q);
        }
    }

    @Deactivate
    void deactivate() {
        open = false;
    }
}
