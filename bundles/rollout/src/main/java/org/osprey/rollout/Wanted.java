package org.osprey.rollout;

import java.util.Dictionary;
import java.util.Locale;
import java.util.regex.Pattern;

import org.osgi.framework.Version;

/** One model the gateway is told to have: a configuration {@code org.osprey.models~NAME}. */
record Wanted(String name, String version, String url, String sha256) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    /** @throws IllegalArgumentException saying what is missing or wrong */
    static Wanted of(String name, Object version, Object url, Object sha256) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a model name is letters, digits, '-' and '_' (at most 64), was " + name);
        }
        String v = version == null ? "" : version.toString().trim();
        try {
            v = Version.parseVersion(v).toString();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": version must be an OSGi version such as 1.2.0, was '" + version + "'");
        }
        if (v.equals("0.0.0")) {
            throw new IllegalArgumentException(name + ": a version is needed");
        }
        if (url == null || url.toString().isBlank()) {
            throw new IllegalArgumentException(name + ": a url is needed");
        }
        if (sha256 == null || !SHA256.matcher(sha256.toString().trim()).matches()) {
            throw new IllegalArgumentException(name + ": sha256 must be the jar's SHA-256 as 64 hex digits");
        }
        return new Wanted(name, v, url.toString().trim(), sha256.toString().trim().toLowerCase(Locale.ROOT));
    }

    static Wanted of(String name, Dictionary<String, Object> p) {
        return of(name, p.get("version"), p.get("url"), p.get("sha256"));
    }

    /** Where a download of this jar is kept until installed: distinct per hash, so a changed jar never resumes an old one. */
    String partFile() {
        return name + "-" + version + "-" + sha256.substring(0, 12) + ".part";
    }
}
