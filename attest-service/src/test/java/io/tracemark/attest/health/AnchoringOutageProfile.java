package io.tracemark.attest.health;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** Short MongoDB timeouts, a 2 s anchoring lag limit and a chain probe every second (the scheduler's resolution), so outages show within seconds. */
public class AnchoringOutageProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.mongodb.server-selection-timeout", "2s",
                "quarkus.mongodb.connect-timeout", "1s",
                "quarkus.mongodb.read-timeout", "3s",
                "tracemark.health.mongo-timeout", "1s",
                "tracemark.attest.health.max-anchoring-lag", "2s",
                "tracemark.attest.health.chain-probe-interval", "1s");
    }
}
