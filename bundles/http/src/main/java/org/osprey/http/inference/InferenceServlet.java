package org.osprey.http.inference;

import org.osprey.http.tokens.ApiTokens;
import org.osprey.http.tokens.Scopes;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.servlet.whiteboard.annotations.RequireHttpWhiteboard;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.osprey.api.camera.Frame;
import org.osprey.api.camera.PixelFormat;
import org.osprey.api.vision.InferenceException;
import org.osprey.api.vision.InferenceResult;
import org.osprey.api.vision.Model;
import org.osprey.http.errors.ApiError;
import org.osprey.http.errors.JsonErrorPages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Inference over HTTP on the models of the service registry: {@code POST /image} and {@code POST /url}
 * in the Azure Custom Vision container's format, {@code POST /v1/vision/detection} in DeepStack's.
 * {@code ?model=NAME} picks a model. Errors are JSON: 400 bad image, 413 too large, 503 no model.
 */
@Component(service = Servlet.class, configurationPid = "org.osprey.http.inference")
@Designate(ocd = InferenceApiConfiguration.class)
@RequireHttpWhiteboard
@HttpWhiteboardServletName("osprey-inference")
@HttpWhiteboardServletPattern({InferenceServlet.IMAGE, InferenceServlet.URL, InferenceServlet.DETECTION})
// bodies are read without blocking a thread (BodyReader) and forms parsed in memory (RequestBody): no multipart config, no temp files
@HttpWhiteboardServletAsyncSupported
public class InferenceServlet extends HttpServlet {

    static final String IMAGE = "/image";
    static final String URL = "/url";
    static final String DETECTION = "/v1/vision/detection";

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(InferenceServlet.class);
    private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

    private final transient ModelSelector models = new ModelSelector();
    private final transient UrlFetcher urls;
    /** A form's boundaries and part headers around the image, and its other fields. */
    static final long FORM_OVERHEAD = 64 * 1024;
    static final long URL_BODY_LIMIT = 16 * 1024;

    private final String defaultModel;
    private final long maxBodyBytes;
    private final long bodyTimeoutMillis;
    private final boolean urlFetchEnabled;
    private final AtomicLong served = new AtomicLong();

    private final transient ApiTokens tokens;
    private final boolean tokenRequired;

    @Activate
    public InferenceServlet(InferenceApiConfiguration config, @Reference ApiTokens tokens) {
        this.tokens = tokens;
        String auth = config.inferenceAuth().strip().toLowerCase(java.util.Locale.ROOT);
        if (!auth.equals("none") && !auth.equals("token")) {
            // a typo must not open the routes: anything but "none" asks for a token
            LOG.error("inferenceAuth must be none or token, was '{}': a token is asked for", config.inferenceAuth());
        }
        this.tokenRequired = !auth.equals("none");
        this.defaultModel = config.defaultModel().strip();
        this.urlFetchEnabled = config.urlFetchEnabled();
        this.maxBodyBytes = config.maxBodyBytes();
        this.bodyTimeoutMillis = TimeUnit.SECONDS.toMillis(config.bodyTimeoutSeconds());
        UrlFetcher fetcher = null;
        try {
            fetcher = new UrlFetcher(config.maxBodyBytes(), Duration.ofSeconds(config.urlTimeoutSeconds()),
                    new AddressPolicy(config.urlAllow(), config.urlDeny()));
        } catch (IllegalArgumentException e) {
            // only /url depends on the lists: the other routes keep serving
            LOG.error("POST /url is off until its address lists (urlAllow, urlDeny) are fixed: {}", e.getMessage());
        }
        this.urls = fetcher;
    }

    @Reference(service = Model.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addModel(ServiceReference<Model> ref, Model model) {
        models.add(ref, model);
    }

    void removeModel(ServiceReference<Model> ref) {
        models.remove(ref);
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        long start = System.nanoTime();
        String route = req.getServletPath();
        // a form around the image adds its boundaries and headers; /url's body is a little JSON
        long limit = route.equals(URL) ? URL_BODY_LIMIT : maxBodyBytes + FORM_OVERHEAD;
        // a token in the header is checked first; DeepStack's api_key is in the body
        Boolean headerToken = null;
        if (tokenRequired) {
            String header = req.getHeader("Authorization");
            if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                headerToken = allowsInference(header.substring(7).strip());
            } else if (!RequestBody.isForm(req.getContentType())) {
                headerToken = false;
            }
        }
        boolean authorized = !tokenRequired || Boolean.TRUE.equals(headerToken);
        long declared = req.getContentLengthLong();
        if (declared > limit) {
            resp.setHeader("Connection", "close");
            error(resp, tooLarge(declared), start);
            return;
        }
        if (Boolean.FALSE.equals(headerToken)) {
            if ("100-continue".equalsIgnoreCase(req.getHeader("Expect"))) {
                error(resp, unauthorized(), start); // the client waits for a go-ahead before it sends the body
            } else {
                // the body is read (within the limits) before the 401: a client still sending it when the
                // connection closed would get a reset instead of the answer
                BodyReader.read(req, limit, bodyTimeoutMillis, body -> error(resp, unauthorized(), start), e -> error(resp, unauthorized(), start));
            }
            return;
        }
        BodyReader.read(req, limit, bodyTimeoutMillis, body -> respond(req, resp, route, body, start, authorized), e -> error(resp, e, start));
    }

    private boolean allowsInference(String secret) {
        return tokens.check(secret).map(t -> t.scopes().contains(Scopes.INFER) || t.scopes().contains(Scopes.ADMIN)).orElse(false);
    }

    private static ApiError unauthorized() {
        return new ApiError(HttpServletResponse.SC_UNAUTHORIZED, "unauthorized",
                "this gateway asks for an API token with the infer scope: Authorization: Bearer <token>, or the form field api_key");
    }

    private void respond(HttpServletRequest req, HttpServletResponse resp, String route, byte[] bytes, long start, boolean authorized)
            throws IOException {
        try {
            RequestBody body = RequestBody.of(bytes, req.getContentType());
            if (!authorized && !allowsInference(body.text("api_key"))) {
                throw unauthorized();
            }
            byte[] image = switch (route) {
                case URL -> fromUrl(body);
                case DETECTION -> body.image("image");
                default -> body.image("imageData");
            };
            if (image.length > maxBodyBytes) {
                throw tooLarge(image.length);
            }
            String requested = RequestBody.query(req, "model");
            InferenceResult result;
            try {
                result = infer(requested == null || requested.isBlank() ? defaultModel : requested.strip(), image);
            } catch (ApiError e) {
                if (route.equals(URL) && e.status == HttpServletResponse.SC_BAD_REQUEST) {
                    // what a URL gave is not an image: said like any other failed fetch, so /url maps nothing
                    throw new ApiError(HttpServletResponse.SC_BAD_REQUEST, "bad_url", UrlFetcher.FAILED);
                }
                throw e;
            }
            long processMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
            resp.setHeader("Server-Timing", String.format(java.util.Locale.ROOT, "pre;dur=%.2f, infer;dur=%.2f, post;dur=%.2f, total;dur=%.2f",
                    result.preprocessTime().toNanos() / 1e6, result.inferenceTime().toNanos() / 1e6, result.postprocessTime().toNanos() / 1e6,
                    (System.nanoTime() - start) / 1e6));
            served.incrementAndGet();
            if (route.equals(DETECTION)) {
                write(resp, HttpServletResponse.SC_OK, DeepStackFormat.of(result, minConfidence(req, body), processMs));
            } else {
                write(resp, HttpServletResponse.SC_OK, CustomVisionFormat.of(result));
            }
        } catch (ApiError e) {
            error(resp, e, start);
        } catch (RuntimeException e) {
            LOG.error("{} failed", route, e);
            resp.setHeader("Server-Timing", total(start));
            write(resp, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, Map.of("success", false, "code", "internal", "error", e.toString()));
        }
    }

    /** An error answer, with the time it took in {@code Server-Timing} as every answer of these routes has. */
    private static void error(HttpServletResponse resp, ApiError e, long start) throws IOException {
        resp.setHeader("Server-Timing", total(start));
        JsonErrorPages.send(resp, e);
    }

    private static String total(long start) {
        return String.format(java.util.Locale.ROOT, "total;dur=%.2f", (System.nanoTime() - start) / 1e6);
    }

    private ApiError tooLarge(long size) {
        return new ApiError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "too_large",
                "the image is larger than the limit of " + maxBodyBytes + " bytes" + (size > 0 ? " (" + size + " bytes)" : ""));
    }

    private InferenceResult infer(String name, byte[] image) throws ApiError {
        Frame frame = frame(image);
        // a model removed between lookup and call is retried once on the next best, so a swap fails no request
        for (int attempt = 0;; attempt++) {
            Model model = models.select(name);
            if (model == null) {
                throw new ApiError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "no_model",
                        name.isEmpty() ? "no model is loaded" : "no model named '" + name + "' is loaded");
            }
            try {
                return model.infer(frame);
            } catch (InferenceException e) {
                switch (e.reason()) {
                    case BAD_IMAGE:
                        throw new ApiError(HttpServletResponse.SC_BAD_REQUEST, "bad_image", e.getMessage());
                    case IMAGE_TOO_LARGE:
                        throw new ApiError(HttpServletResponse.SC_BAD_REQUEST, "image_too_large", e.getMessage());
                    case MODEL_UNAVAILABLE:
                        if (attempt < 2) {
                            continue;
                        }
                        throw new ApiError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "no_model", e.getMessage());
                    default:
                        LOG.error("inference failed on model {}", model.info(), e);
                        throw new ApiError(HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "inference_failed", e.getMessage());
                }
            }
        }
    }

    private static Frame frame(byte[] image) throws ApiError {
        ByteBuffer bytes = ByteBuffer.wrap(image);
        PixelFormat format = sniff(bytes);
        return Frame.encoded("http", 0, Instant.now(), format, 0, 0, bytes);
    }

    /** The model decodes; this only names the format so a non-image is refused before it reaches a model. */
    private static PixelFormat sniff(ByteBuffer b) throws ApiError {
        int n = b.remaining();
        if (n >= 3 && (b.get(0) & 0xFF) == 0xFF && (b.get(1) & 0xFF) == 0xD8) {
            return PixelFormat.JPEG;
        }
        if (n >= 8 && (b.get(0) & 0xFF) == 0x89 && b.get(1) == 'P' && b.get(2) == 'N' && b.get(3) == 'G') {
            return PixelFormat.PNG;
        }
        if (n >= 2 && b.get(0) == 'B' && b.get(1) == 'M') {
            return PixelFormat.BMP;
        }
        throw new ApiError(HttpServletResponse.SC_BAD_REQUEST, "bad_image", "the body is not a JPEG, PNG or BMP image (" + n + " bytes)");
    }

    private byte[] fromUrl(RequestBody body) throws ApiError {
        if (!urlFetchEnabled || urls == null) {
            throw new ApiError(HttpServletResponse.SC_FORBIDDEN, "url_disabled", urls == null
                    ? "POST /url is off: its address lists in this gateway's configuration are not valid" : "POST /url is turned off in this gateway's configuration");
        }
        JsonElement json;
        try {
            json = JsonParser.parseString(new String(body.raw(), StandardCharsets.UTF_8));
        } catch (JsonParseException e) {
            throw new ApiError(HttpServletResponse.SC_BAD_REQUEST, "bad_request", "the body must be JSON: {\"url\": \"https://...\"}");
        }
        if (!(json instanceof JsonObject o) || !o.has("url") || !o.get("url").isJsonPrimitive()) {
            throw new ApiError(HttpServletResponse.SC_BAD_REQUEST, "bad_request", "the body must be JSON: {\"url\": \"https://...\"}");
        }
        return urls.fetch(o.get("url").getAsString());
    }

    private static float minConfidence(HttpServletRequest req, RequestBody body) throws ApiError {
        String v = RequestBody.query(req, "min_confidence");
        if (v == null) {
            v = body.text("min_confidence");
        }
        if (v == null || v.isBlank()) {
            return 0.4f;
        }
        try {
            float f = Float.parseFloat(v);
            if (!(f >= 0 && f <= 1)) { // NaN too
                throw new NumberFormatException();
            }
            return f;
        } catch (NumberFormatException e) {
            throw new ApiError(HttpServletResponse.SC_BAD_REQUEST, "bad_request", "min_confidence must be a number from 0 to 1, was " + v);
        }
    }

    static void write(HttpServletResponse resp, int status, Object body) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.getWriter().write(GSON.toJson(body));
    }
}
