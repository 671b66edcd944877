package org.osprey.api.config;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * List attributes as users mean them. A blank row left in the web console's form, or {@code labels=}
 * in a {@code .cfg} file, arrives as one empty string; taken literally it is an entry that matches
 * nothing (or a zone that does not parse). Every Osprey {@code String[]} attribute is read through
 * {@link #entries(String[])}, so an empty or blank entry means nothing was given.
 */
public final class ConfigLists {

    private ConfigLists() {
    }

    /**
     * The entries of a list attribute, each stripped of surrounding white space, blank ones left out,
     * in their order (repeats kept: a caller that wants a set makes one).
     *
     * @param raw the attribute's value; null is read as no entries
     */
    public static List<String> entries(String[] raw) {
        return raw == null ? List.of() : Arrays.stream(raw).filter(Objects::nonNull).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
