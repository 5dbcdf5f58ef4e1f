package io.tracemark.contracts.ledger;

import java.util.List;

/**
 * The chain node's answer to {@code GET /v1/proofs/inclusion?index=&size=}, relayed by verify: an RFC 9162
 * §2.1.3 inclusion proof.
 *
 * @param index    leaf index
 * @param treeSize tree size the proof is for
 * @param leafHash base64 RFC 9162 leaf hash of the leaf
 * @param hashes   base64 audit path, leaf sibling first
 */
public record InclusionProof(long index, long treeSize, String leafHash, List<String> hashes) {
    /** Copies the list. */
    public InclusionProof {
        hashes = List.copyOf(hashes);
    }
}
