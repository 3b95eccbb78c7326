package io.meshpilot.benchmarks.load;

import io.meshpilot.schemas.ServiceKey;

/** Hears what a simulated region's agent does with directives, with {@link System#nanoTime()} times. */
interface RegionListener {

    /** A directive arrived (from Kafka, or straight from the baseline): the time it was published, give or take. */
    void received(String region, ServiceKey service, String affinity, long nanos);

    /** Its annotations were written to the region's (in-memory) cluster. */
    void applied(String region, ServiceKey service, String affinity, long nanos);
}
