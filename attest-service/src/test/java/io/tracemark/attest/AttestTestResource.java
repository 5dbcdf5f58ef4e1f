package io.tracemark.attest;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.tracemark.testsupport.SharedInfra;

import java.util.Map;

/** Starts the JVM-wide {@link ChainFixture} and points attest's chain-node URL at it. */
public class AttestTestResource implements QuarkusTestResourceLifecycleManager {
    private static ChainFixture chain;

    /** The running fixture. */
    public static synchronized ChainFixture chain() {
        if (chain == null) {
            try {
                chain = new ChainFixture(SharedInfra.kafkaBootstrap());
            } catch (Exception e) {
                throw new IllegalStateException("chain fixture failed to start", e);
            }
        }
        return chain;
    }

    @Override
    public Map<String, String> start() {
        return Map.of("tracemark.attest.chain-node-url", chain().url());
    }

    @Override
    public void stop() {
        // Shared by every test class of this JVM; it is a daemon and dies with it.
    }
}
