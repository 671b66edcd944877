package org.osprey.pipeline.snapshots;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Osprey event snapshots", description = "A JPEG of each event's frame, with its box drawn, kept in $OSPREY_DATA/snapshots.")
public @interface SnapshotConfiguration {

    @AttributeDefinition(name = "Enabled", description = "untick to keep no pictures of events")
    boolean enabled() default true;

    @AttributeDefinition(name = "Largest total (MB)", min = "1", description = "when the snapshots take more, the oldest are deleted")
    int maxMegabytes() default 256;

    @AttributeDefinition(name = "Longest kept (hours)", min = "1", description = "older snapshots are deleted")
    int maxAgeHours() default 168;

    @AttributeDefinition(name = "Width (pixels)", min = "64", max = "8192", description = "pictures are scaled down to this width, never up")
    int width() default 960;
}
