package io.tracemark.chain.witness;

import io.tracemark.proofs.checkpoint.Checkpoint;
import io.tracemark.proofs.checkpoint.SignedCheckpoints;
import io.tracemark.proofs.merkle.InMemoryHashStore;
import io.tracemark.proofs.merkle.Tlog;
import io.tracemark.proofs.note.Ed25519NoteSigner;
import io.tracemark.proofs.witness.AddCheckpointRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** A small in-memory log that signs checkpoints and proves consistency, to submit to a witness. */
public final class TestLog {
    public final Ed25519NoteSigner key;
    public final String origin;
    private final String leafPrefix;
    private final InMemoryHashStore tree = new InMemoryHashStore();

    /** A log of {@code origin}; logs with another {@code leafPrefix} but the same key are forks. */
    public TestLog(String origin, byte seedByte, String leafPrefix) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, seedByte);
        this.key = Ed25519NoteSigner.fromSeed(origin, seed);
        this.origin = origin;
        this.leafPrefix = leafPrefix;
    }

    public TestLog grow(int leaves) {
        for (int i = 0; i < leaves; i++) {
            tree.appendData((leafPrefix + tree.size()).getBytes(StandardCharsets.UTF_8));
        }
        return this;
    }

    public long size() {
        return tree.size();
    }

    public Checkpoint checkpoint() {
        return new Checkpoint(origin, tree.size(), tree.root());
    }

    public byte[] note() {
        return SignedCheckpoints.sign(checkpoint(), key);
    }

    /** RFC 6962 consistency proof from {@code from} to the current size. */
    public byte[][] proof(long from) {
        return Tlog.proveTree(tree.size(), from, tree);
    }

    /** The add-checkpoint body from {@code oldSize} to the current size. */
    public byte[] request(long oldSize) {
        byte[][] proof = oldSize == 0 || oldSize == tree.size() ? new byte[0][] : proof(oldSize);
        return new AddCheckpointRequest(oldSize, List.of(proof), note()).encode();
    }
}
