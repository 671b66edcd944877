package org.osprey.api.config;

import static org.junit.Assert.assertEquals;

import java.util.List;

import org.junit.Test;

public class ConfigListsTest {

    @Test
    public void blankEntriesAreNoEntries() {
        assertEquals(List.of(), ConfigLists.entries(null));
        assertEquals(List.of(), ConfigLists.entries(new String[0]));
        assertEquals(List.of(), ConfigLists.entries(new String[] {""}));
        assertEquals(List.of(), ConfigLists.entries(new String[] {"  ", null, "\t"}));
    }

    @Test
    public void entriesAreStrippedAndKeepTheirOrderAndRepeats() {
        assertEquals(List.of("person", "car", "car"), ConfigLists.entries(new String[] {" person", "", "car ", "car"}));
    }
}
