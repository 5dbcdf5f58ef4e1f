package io.tracemark.contracts.ledger;

import java.util.List;

/**
 * The chain node's answer to {@code GET /v1/proofs/consistency?from=&to=}, relayed by verify: an RFC 9162
 * §2.1.4 consistency proof.
 *
 * @param from   older tree size
 * @param to     newer tree size
 * @param hashes base64 proof nodes
 */
public record ConsistencyProof(long from, long to, List<String> hashes) {
    /** Copies the list. */
    public ConsistencyProof {
        hashes = List.copyOf(hashes);
    }
}
