package io.tracemark.chain;

import io.tracemark.chain.witness.StandaloneWitness;
import io.tracemark.chain.witness.WitnessSettings;
import io.tracemark.proofs.cosignature.Ed25519CosignatureSigner;
import io.tracemark.infra.Ports;
import io.tracemark.proofs.note.Ed25519NoteSigner;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@link ChainTestInfra} plus two witnesses of the node's log: the node's own embedded witness
 * ({@code /witness}) and a standalone witness process with its own key, state and port, which a
 * test can stop, restart, or restart holding a fork.
 */
public class WitnessedChainInfra extends ChainTestInfra {
    static final SecureRandom RANDOM = new SecureRandom();
    static Ed25519NoteSigner logKey;
    static Ed25519CosignatureSigner embeddedKey;
    static Ed25519CosignatureSigner standaloneKey;
    static int standalonePort;
    static Path standaloneDir;
    static StandaloneWitness standalone;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new java.util.HashMap<>(super.start());
        logKey = Ed25519NoteSigner.generate("tracemark.local/chain-node-1", RANDOM);
        embeddedKey = Ed25519CosignatureSigner.generate("tracemark.local/witness-embedded", RANDOM, () -> 1);
        standaloneKey = Ed25519CosignatureSigner.generate("witness.example/standalone", RANDOM, () -> 1);
        Map<String, Integer> ports = Ports.resolveAll(new TreeMap<>(Map.of("chain node", 0, "standalone witness", 0)));
        int nodePort = ports.get("chain node");
        standalonePort = ports.get("standalone witness");
        standaloneDir = tempDir("standalone-witness-");
        standalone = StandaloneWitness.start(standaloneSettings(standaloneDir), standalonePort);
        config.put("quarkus.http.test-port", String.valueOf(nodePort));
        config.put("tracemark.chain.signing-key", logKey.signerKey());
        config.put("tracemark.witness.enabled", "true");
        config.put("tracemark.witness.key-name", embeddedKey.name());
        config.put("tracemark.witness.signing-key", embeddedKey.signerKey());
        config.put("tracemark.witness.logs", ChainNodeApi.ORIGIN + " " + logKey.verifier().verifierKey());
        config.put("tracemark.chain.witnesses",
                embeddedKey.verifier().verifierKey() + " http://localhost:" + nodePort + "/witness,"
                        + standaloneKey.verifier().verifierKey() + " http://localhost:" + standalonePort);
        return config;
    }

    /** The standalone witness's settings, with its own key, over {@code dir}. */
    static WitnessSettings standaloneSettings(Path dir) {
        return new WitnessSettings(dir, standaloneKey.name(), Optional.of(standaloneKey.signerKey()),
                List.of(ChainNodeApi.ORIGIN + " " + logKey.verifier().verifierKey()));
    }

    @Override
    public void stop() {
        if (standalone != null) {
            standalone.close();
        }
    }
}
