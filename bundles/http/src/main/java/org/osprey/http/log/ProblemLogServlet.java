package org.osprey.http.log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.annotations.RequireHttpWhiteboard;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.osprey.http.auth.AdminContext;
import org.osprey.http.errors.JsonErrorPages;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /api/v1/log} (admin): the gateway's recent warnings and errors, newest first, each with the
 * lines that followed it (a stack trace), from the problem log the launcher keeps in
 * {@code $OSPREY_DATA/log/problems.log} (and the previous one, {@code problems.log.1}). {@code ?limit=}
 * (default 200, at most 2000).
 */
@Component(service = Servlet.class)
@RequireHttpWhiteboard
@HttpWhiteboardContextSelect(AdminContext.SELECT)
@HttpWhiteboardServletName("osprey-log")
@HttpWhiteboardServletPattern("/v1/log")
public class ProblemLogServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();
    private static final Pattern ENTRY = Pattern.compile("^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}) \\[([^\\]]*)\\] (\\w+) (\\S+) - (.*)$");

    /** One warning or error. */
    record Entry(String time, String level, String thread, String logger, String message, String detail) {
    }

    private transient Path folder;

    @Activate
    void activate(BundleContext context) {
        String data = context.getProperty("osprey.data");
        folder = Path.of(data == null ? "data" : data, "log");
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        int limit;
        try {
            limit = req.getParameter("limit") == null ? 200 : Integer.parseInt(req.getParameter("limit"));
            if (limit < 1 || limit > 2000) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            JsonErrorPages.send(resp, 400, "bad_request", "limit is a whole number from 1 to 2000");
            return;
        }
        List<Entry> entries = new ArrayList<>();
        for (String name : new String[] {"problems.log.1", "problems.log"}) {
            Path f = folder.resolve(name);
            if (Files.isReadable(f)) {
                entries.addAll(parse(Files.readAllLines(f, StandardCharsets.UTF_8)));
            }
        }
        Collections.reverse(entries);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.getWriter().write(GSON.toJson(Map.of("file", folder.resolve("problems.log").toString(),
                "entries", entries.subList(0, Math.min(limit, entries.size())))));
    }

    static List<Entry> parse(List<String> lines) {
        List<Entry> out = new ArrayList<>();
        Matcher current = null;
        StringBuilder detail = new StringBuilder();
        for (String line : lines) {
            Matcher m = ENTRY.matcher(line);
            if (m.matches()) {
                add(out, current, detail);
                current = m;
                detail.setLength(0);
            } else if (current != null) {
                detail.append(detail.length() == 0 ? "" : "\n").append(line);
            }
        }
        add(out, current, detail);
        return out;
    }

    private static void add(List<Entry> out, Matcher m, StringBuilder detail) {
        if (m != null) {
            out.add(new Entry(m.group(1), m.group(3), m.group(2), m.group(4), m.group(5), detail.toString()));
        }
    }
}
