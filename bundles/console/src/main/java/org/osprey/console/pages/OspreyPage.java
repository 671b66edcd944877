package org.osprey.console.pages;

import java.io.IOException;
import java.io.InputStream;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * One of Osprey's pages in the Felix Web Console: the console draws its frame, menu and login around the
 * HTML fragment this serves from the bundle ({@code /res/<name>.html}); the fragment loads its script and
 * style from {@code ${pluginRoot}/res/}, which the console serves from this bundle too. The pages get
 * their data from the admin API under {@code /api/v1}, with the login the console already has.
 */
abstract class OspreyPage extends HttpServlet {

    private static final long serialVersionUID = 1L;
    /** The console's plugin properties every page shares. */
    static final String CATEGORY = "felix.webconsole.category=Osprey";
    static final String CSS = "felix.webconsole.css=/osprey-live/res/osprey.css";

    private final String fragment;

    OspreyPage(String fragment) {
        this.fragment = fragment;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try (InputStream in = OspreyPage.class.getResourceAsStream("/res/" + fragment + ".html")) {
            if (in == null) {
                resp.sendError(404);
                return;
            }
            resp.setContentType("text/html");
            resp.setCharacterEncoding("UTF-8");
            resp.getWriter().write(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
