package org.osprey.pipeline.tracker;

import java.util.List;
import java.util.Set;

import org.osprey.api.vision.Region;

/**
 * How the tracker turns frames into events.
 *
 * @param appearFrames consecutive frames an object must be seen (at or above minScore) before it counts
 * @param leaveFrames  consecutive frames it must be missing before it no longer counts
 * @param minScore     predictions below it are ignored
 * @param labels       the labels to track; empty: all
 * @param zones        zones to count objects in
 */
public record TrackerSettings(int appearFrames, int leaveFrames, float minScore, Set<String> labels, List<Region> zones) {

    public TrackerSettings {
        if (appearFrames < 1 || leaveFrames < 1) {
            throw new IllegalArgumentException("appear and leave frames must be at least 1");
        }
        if (minScore < 0 || minScore > 1) {
            throw new IllegalArgumentException("the minimum score must be in [0, 1]");
        }
        labels = Set.copyOf(labels);
        zones = List.copyOf(zones);
    }
}
