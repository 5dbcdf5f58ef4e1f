package io.tracemark.proofs.tlogproof;

import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.checkpoint.Checkpoint;
import io.tracemark.proofs.checkpoint.SignedCheckpoints;
import io.tracemark.proofs.checkpoint.VerifiedCheckpoint;
import io.tracemark.proofs.merkle.Rfc9162Hasher;
import io.tracemark.proofs.merkle.Rfc9162Verifier;
import io.tracemark.proofs.note.VerifierSet;

/**
 * Offline verification of C2SP tlog-proof files against a fixed policy: the log's origin, the
 * trusted log and witness keys, and how many of them must have signed the checkpoint.
 */
public final class TlogProofVerifier {
    private TlogProofVerifier() {
    }

    /**
     * Verifies that {@code leafData} (for Tracemark, the 32-byte record digest) is in the log,
     * hashing it as the RFC 9162 §2.1.1 leaf hash SHA-256(0x00 ‖ data).
     *
     * @throws ProofException see {@link #verifyLeafHash}
     */
    public static VerifiedTlogProof verifyLeafData(TlogProof proof, byte[] leafData, String origin,
            VerifierSet trusted, int threshold) {
        return verifyLeafHash(proof, Rfc9162Hasher.leafHash(leafData), origin, trusted, threshold);
    }

    /**
     * Verifies that the leaf with hash {@code leafHash} is at the proof's index in the tree of the
     * proof's checkpoint, and that the checkpoint is signed by at least {@code threshold} keys of
     * {@code trusted} for log {@code origin} (C2SP tlog-proof, RFC 9162 §2.1.3.2).
     *
     * @throws ProofException any checkpoint error from {@link SignedCheckpoints#verify}, or
     *     {@code inclusion.index.out_of_range}, {@code inclusion.proof.length},
     *     {@code inclusion.root.mismatch}, {@code hash.malformed}
     */
    public static VerifiedTlogProof verifyLeafHash(TlogProof proof, byte[] leafHash, String origin,
            VerifierSet trusted, int threshold) {
        VerifiedCheckpoint vc = SignedCheckpoints.verify(proof.signedCheckpoint(), origin, trusted, threshold);
        Checkpoint cp = vc.checkpoint();
        Rfc9162Verifier.verifyInclusion(proof.index(), cp.size(), leafHash, proof.proofHashes(), cp.rootHash());
        return new VerifiedTlogProof(proof.index(), vc, proof.extra());
    }

    /**
     * Parses and verifies a {@code .tlog-proof} file for the given leaf data.
     *
     * @throws ProofException {@code tlogproof.malformed} or any error of {@link #verifyLeafHash}
     */
    public static VerifiedTlogProof verifyLeafData(byte[] proofFile, byte[] leafData, String origin,
            VerifierSet trusted, int threshold) {
        return verifyLeafData(TlogProof.parse(proofFile), leafData, origin, trusted, threshold);
    }
}
