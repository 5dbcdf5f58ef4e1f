package io.tracemark.ingest.backpressure;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * Short MongoDB timeouts so an outage shows within seconds, a one-second API key cache so authentication
 * reaches the store during the outage too, and the lag measured every second
 * (the scheduler's resolution).
 */
public class StoreOutageProfile implements QuarkusTestProfile {
    /** Retry-After the 503 answer must carry, in seconds. */
    public static final String RETRY_AFTER_SECONDS = "3";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.mongodb.server-selection-timeout", "2s",
                "quarkus.mongodb.connect-timeout", "1s",
                "quarkus.mongodb.read-timeout", "3s",
                "tracemark.health.mongo-timeout", "1s",
                "tracemark.ingest.health.lag-interval", "1s",
                "tracemark.ingest.retry-after", RETRY_AFTER_SECONDS + "s",
                "tracemark.edge.api-key-cache", "PT1S");
    }
}
