package org.osprey.telemetry.service;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Osprey telemetry: outbox", description = "Every event for the cloud is stored here first, for each uplink, until the uplink acknowledged it.")
public @interface TelemetryConfiguration {

    @AttributeDefinition(name = "Time to live (seconds)", min = "1", description = "undelivered events older than this are dropped (and counted as expired)")
    int ttlSeconds() default 7200;

    @AttributeDefinition(name = "Outbox capacity", min = "1", description = "past this many waiting messages (all uplinks together) the oldest are dropped (and counted as evicted)")
    int capacity() default 100_000;

    @AttributeDefinition(name = "Backlog rate (per second)", min = "0", description = "how fast each uplink is sent a backlog when its link returns; 0: as fast as it goes")
    double maxPerSecond() default 20;
}
