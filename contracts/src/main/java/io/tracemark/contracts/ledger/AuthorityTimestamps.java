package io.tracemark.contracts.ledger;

import java.util.List;

/**
 * The chain node's answer to {@code GET /v1/timestamps/{size}/authorities}: the RFC 3161 tokens external
 * authorities issued over SHA-256 of the checkpoint text of tree size {@code treeSize}, read by attest and
 * verify to put in receipts ({@link AuthorityTimestampsCodec}).
 *
 * @param treeSize the checkpoint's tree size
 * @param tokens   tokens obtained and checked against the authority's configured certificate, in configured order
 * @param pending  configured authorities still being asked (the checkpoint is queued or its request in flight)
 * @param missing  configured authorities that did not stamp this checkpoint (down, slow, refused or skipped)
 */
public record AuthorityTimestamps(long treeSize, List<Token> tokens, List<String> pending, List<String> missing) {
    /** Copies the lists. */
    public AuthorityTimestamps {
        tokens = List.copyOf(tokens);
        pending = List.copyOf(pending);
        missing = List.copyOf(missing);
    }

    /**
     * One authority's token.
     *
     * @param name  the authority's configured name
     * @param token base64 of the DER {@code TimeStampToken} (RFC 3161 §2.4.2), not the whole response
     */
    public record Token(String name, String token) {
    }
}
