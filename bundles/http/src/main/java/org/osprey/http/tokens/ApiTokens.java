package org.osprey.http.tokens;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.reflect.TypeToken;

/**
 * The API tokens: named, with scopes ({@link Scopes}), shown once when made and kept only as SHA-256
 * hashes in {@code $OSPREY_DATA/api-tokens.json} (owner-only); revoked at once. A token is 32 random
 * bytes, so a plain hash is enough to keep it (no salt or stretching is needed for a secret that
 * cannot be guessed). When each was last used is kept too, written at most once a minute.
 */
@Component(service = ApiTokens.class)
public class ApiTokens {

    /** One token as stored: never the token itself. */
    public record Token(String name, List<String> scopes, String sha256, Instant created, Instant lastUsed) {
        Token used(Instant when) {
            return new Token(name, scopes, sha256, created, when);
        }
    }

    /** A token just made: the only time its secret is seen. */
    public record Made(Token token, String secret) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(ApiTokens.class);
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().registerTypeAdapter(Instant.class,
            (com.google.gson.JsonSerializer<Instant>) (src, t, c) -> new com.google.gson.JsonPrimitive(src.toString()))
            .registerTypeAdapter(Instant.class, (com.google.gson.JsonDeserializer<Instant>) (json, t, c) -> Instant.parse(json.getAsString())).create();
    private static final String PREFIX = "osprey_";
    private static final long LAST_USED_WRITE_MILLIS = 60_000;

    private final Path file;
    private final SecureRandom random = new SecureRandom();
    /** By name, in creation order. */
    private final Map<String, Token> tokens = new LinkedHashMap<>();
    private final Map<String, String> nameByHash = new ConcurrentHashMap<>();
    private long lastWrite;
    /** The file could not be read: it is never overwritten. */
    private boolean unreadable;

    @Activate
    public ApiTokens(BundleContext context) {
        this(Path.of(Optional.ofNullable(context.getProperty("osprey.data")).orElse("data"), "api-tokens.json"));
    }

    public ApiTokens(Path file) {
        this.file = file;
        if (Files.exists(file)) {
            try {
                List<Token> stored = GSON.fromJson(Files.readString(file), new TypeToken<List<Token>>() {
                }.getType());
                for (Token t : stored == null ? List.<Token>of() : stored) {
                    tokens.put(t.name(), t);
                    nameByHash.put(t.sha256(), t.name());
                }
            } catch (IOException | RuntimeException e) {
                // refusing every token is safe; losing the file is not: it stays as it is for the user to look at
                unreadable = true;
                LOG.error("Cannot read the API tokens in {}: every token is refused until it is fixed ({})", file, e.toString());
            }
        }
    }

    /** @throws IllegalArgumentException with what is wrong with the name or the scopes */
    public synchronized Made create(String name, List<String> scopes) throws IOException {
        if (name == null || !name.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("a token's name is 1 to 64 letters, digits, '.', '_' or '-'");
        }
        if (tokens.containsKey(name)) {
            throw new IllegalArgumentException("there is a token named " + name + " already: revoke it first");
        }
        if (scopes == null || scopes.isEmpty() || !Scopes.ALL.containsAll(scopes)) {
            throw new IllegalArgumentException("scopes are one or more of " + Scopes.ALL + ", were " + scopes);
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Token t = new Token(name, List.copyOf(new java.util.LinkedHashSet<>(scopes)), sha256(secret), Instant.now(), null);
        tokens.put(name, t);
        nameByHash.put(t.sha256(), name);
        write();
        LOG.info("API token {} made with scopes {}", name, t.scopes());
        return new Made(t, secret);
    }

    public synchronized List<Token> list() {
        return new ArrayList<>(tokens.values());
    }

    /** @return whether there was such a token; from now on it is refused */
    public synchronized boolean revoke(String name) throws IOException {
        Token t = tokens.remove(name);
        if (t == null) {
            return false;
        }
        nameByHash.remove(t.sha256());
        write();
        LOG.info("API token {} revoked", name);
        return true;
    }

    /** The token this secret is, if it is one; notes that it was used. */
    public Optional<Token> check(String secret) {
        if (secret == null || !secret.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String name = nameByHash.get(sha256(secret.strip()));
        if (name == null) {
            return Optional.empty();
        }
        synchronized (this) {
            Token t = tokens.get(name);
            if (t == null) {
                return Optional.empty();
            }
            Token used = t.used(Instant.now());
            tokens.put(name, used);
            if (System.currentTimeMillis() - lastWrite > LAST_USED_WRITE_MILLIS) {
                try {
                    write();
                } catch (IOException e) {
                    LOG.warn("Cannot note when API tokens were last used in {}: {}", file, e.toString());
                }
            }
            return Optional.of(used);
        }
    }

    private void write() throws IOException {
        if (unreadable) {
            throw new IOException(file + " could not be read at the start: fix or remove it, then restart");
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, GSON.toJson(new ArrayList<>(tokens.values())), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        lastWrite = System.currentTimeMillis();
    }

    @Deactivate
    synchronized void deactivate() {
        try {
            if (!unreadable && !tokens.isEmpty()) {
                write(); // the last uses
            }
        } catch (IOException e) {
            LOG.warn("Cannot note when API tokens were last used in {}: {}", file, e.toString());
        }
    }

    static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
