package io.tracemark.localstack;

import io.tracemark.proofs.cosignature.CosignatureKeys;
import io.tracemark.proofs.cosignature.Ed25519CosignatureSigner;
import io.tracemark.proofs.note.Ed25519NoteSigner;
import io.tracemark.proofs.note.NoteKeys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The local stack's witnesses of its log (C2SP tlog-witness): chain-node-2 witnesses the log besides running it,
 * and a standalone witness runs as a process of its own. Every replica's note key and every witness's cosigner key
 * is made here, in the place in the data dir where the service itself would make it on first start, so that each
 * side is told the others' verifier keys before any of them starts. Only verifier keys ever leave the files.
 */
final class StackWitnesses {
    /** The log's origin line (chain-node's default {@code tracemark.chain.origin}). */
    static final String ORIGIN = "tracemark.local/log";
    /** The standalone witness's service name, data directory and log file name. */
    static final String STANDALONE = "witness";
    /** The main class of the standalone witness, in chain-node's build. */
    static final String STANDALONE_MAIN = "io.tracemark.chain.witness.StandaloneWitness";
    /** The replica that also witnesses the log, when there are at least two. */
    static final int WITNESSING_REPLICA = 2;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dataDir;
    private final List<String> logKeys;
    /** chain-node-2's cosigner vkey, or null with fewer replicas. */
    private final String replicaWitnessKey;
    private final String standaloneKey;

    private StackWitnesses(Path dataDir, List<String> logKeys, String replicaWitnessKey, String standaloneKey) {
        this.dataDir = dataDir;
        this.logKeys = List.copyOf(logKeys);
        this.replicaWitnessKey = replicaWitnessKey;
        this.standaloneKey = standaloneKey;
    }

    /** Reads the keys of {@code replicas} replicas and the witnesses from {@code dataDir}, creating missing ones. */
    static StackWitnesses prepare(Path dataDir, int replicas) throws IOException {
        List<String> logKeys = new ArrayList<>();
        for (int i = 1; i <= replicas; i++) {
            logKeys.add(logKey(dataDir, i));
        }
        String replicaWitness = replicas >= WITNESSING_REPLICA
                ? cosignerKey(replicaDir(dataDir, WITNESSING_REPLICA).resolve("witness"), replicaWitnessName())
                : null;
        String standalone = cosignerKey(dataDir.resolve(STANDALONE), standaloneName());
        return new StackWitnesses(dataDir, logKeys, replicaWitness, standalone);
    }

    /** Key name of replica {@code i} ({@code TRACEMARK_CHAIN_KEY_NAME}). */
    static String replicaName(int i) {
        return "tracemark.local/chain-node-" + i;
    }

    static String replicaWitnessName() {
        return "tracemark.local/chain-node-" + WITNESSING_REPLICA + "-witness";
    }

    static String standaloneName() {
        return "tracemark.local/witness";
    }

    static Path replicaDir(Path dataDir, int i) {
        return dataDir.resolve("chain-node-" + i);
    }

    /** The replica's note verifier key; its signer key file is where chain-node keeps it ({@code keys/note-signer.key}). */
    private static String logKey(Path dataDir, int i) throws IOException {
        String name = replicaName(i);
        return signerKeyFile(replicaDir(dataDir, i).resolve("keys/note-signer.key"), name,
                () -> Ed25519NoteSigner.generate(name, RANDOM).signerKey(),
                skey -> NoteKeys.parseSignerKey(skey).verifier().verifierKey());
    }

    /** A witness's cosigner verifier key; its signer key file is where the witness keeps it ({@code cosigner.key}). */
    private static String cosignerKey(Path witnessDir, String name) throws IOException {
        return signerKeyFile(witnessDir.resolve("cosigner.key"), name,
                () -> Ed25519CosignatureSigner.generate(name, RANDOM, () -> 0).signerKey(),
                skey -> CosignatureKeys.parseSignerKey(skey, () -> 0).verifier().verifierKey());
    }

    private static String signerKeyFile(Path file, String name, Supplier<String> generate,
                                        Function<String, String> verifierKey) throws IOException {
        String skey;
        if (Files.isRegularFile(file)) {
            skey = Files.readString(file).trim();
        } else {
            skey = generate.get();
            AdminKeys.writeSecret(file, skey);
        }
        String vkey = verifierKey.apply(skey);
        if (!vkey.startsWith(name + "+")) {
            throw new IllegalStateException(file + " holds a key for " + vkey.substring(0, vkey.indexOf('+'))
                    + ", not " + name + "; use a separate data dir per stack");
        }
        return vkey;
    }

    /** Every witness's cosigner vkey, by service name (chain-node-2 when it witnesses, then the standalone one). */
    Map<String, String> verifierKeys() {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        if (replicaWitnessKey != null) {
            out.put("chain-node-" + WITNESSING_REPLICA, replicaWitnessKey);
        }
        out.put(STANDALONE, standaloneKey);
        return out;
    }

    /** The replicas' note verifier keys, in replica order. */
    List<String> logKeys() {
        return logKeys;
    }

    /** The witnessed log as {@code tracemark.witness.logs} names it: origin and every replica's vkey. */
    private String witnessedLog() {
        return ORIGIN + " " + String.join(" ", logKeys);
    }

    /**
     * Environment of replica {@code i}: every witness to submit checkpoints to, and for chain-node-2 its own
     * witness of the log.
     *
     * @param replicaUrls every replica's base URL, in order
     * @param standaloneUrl the standalone witness's base URL (its submission prefix is the root)
     */
    Map<String, String> replicaEnv(int i, List<String> replicaUrls, String standaloneUrl) {
        Map<String, String> env = new HashMap<>();
        env.put("TRACEMARK_CHAIN_ORIGIN", ORIGIN);
        List<String> witnesses = new ArrayList<>();
        if (replicaWitnessKey != null) {
            witnesses.add(replicaWitnessKey + " " + replicaUrls.get(WITNESSING_REPLICA - 1) + "/witness");
        }
        witnesses.add(standaloneKey + " " + standaloneUrl);
        env.put("TRACEMARK_CHAIN_WITNESSES", String.join(",", witnesses));
        if (i == WITNESSING_REPLICA) {
            env.put("TRACEMARK_WITNESS_ENABLED", "true");
            env.put("TRACEMARK_WITNESS_KEY_NAME", replicaWitnessName());
            env.put("TRACEMARK_WITNESS_LOGS", witnessedLog());
        }
        return env;
    }

    /** Environment of the standalone witness process ({@code TRACEMARK_WITNESS_*}). */
    Map<String, String> standaloneEnv(int port) {
        Map<String, String> env = new HashMap<>();
        env.put("TRACEMARK_WITNESS_DATA_DIR", dataDir.resolve(STANDALONE).toString());
        env.put("TRACEMARK_WITNESS_KEY_NAME", standaloneName());
        env.put("TRACEMARK_WITNESS_LOGS", witnessedLog());
        env.put("TRACEMARK_WITNESS_PORT", Integer.toString(port));
        return env;
    }

    /** verify-service's trusted witnesses ({@code TRACEMARK_VERIFY_WITNESSES}); threshold: all of them. */
    Map<String, String> verifyEnv() {
        return Map.of("TRACEMARK_VERIFY_WITNESSES", String.join(",", verifierKeys().values()));
    }
}
