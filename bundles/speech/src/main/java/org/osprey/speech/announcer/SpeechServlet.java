package org.osprey.speech.announcer;

import java.io.IOException;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.annotations.RequireHttpWhiteboard;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import com.google.gson.Gson;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /api/v1/speech} (admin): engines, fallbacks and why, cache figures, the queue; and
 * {@code GET /api/v1/speech/last}: the last announcement's audio, for a browser to play.
 */
@Component(service = Servlet.class)
@RequireHttpWhiteboard
@HttpWhiteboardContextSelect("(osgi.http.whiteboard.context.name=osprey.admin)")
@HttpWhiteboardServletName("osprey-speech")
@HttpWhiteboardServletPattern({"/v1/speech", "/v1/speech/last"})
public class SpeechServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Gson GSON = new Gson();

    @Reference
    private transient Announcer announcer;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setHeader("Cache-Control", "no-store");
        if (req.getServletPath().endsWith("/last")) {
            Announcer.Spoken last = announcer.last();
            if (last == null) {
                resp.sendError(HttpServletResponse.SC_NOT_FOUND, "nothing said yet");
                return;
            }
            byte[] wav = new byte[last.audio().size()];
            last.audio().bytes().get(wav);
            resp.setContentType(last.audio().mimeType());
            resp.setContentLength(wav.length);
            resp.getOutputStream().write(wav);
            return;
        }
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.getWriter().write(GSON.toJson(announcer.status()));
    }
}
