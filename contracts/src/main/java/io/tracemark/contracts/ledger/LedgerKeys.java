package io.tracemark.contracts.ledger;

import java.util.List;

/**
 * The chain node's answer to {@code GET /v1/keys}, relayed by verify: what verifying the log offline needs.
 *
 * @param origin         checkpoint origin
 * @param verifierKeys   C2SP note verifier keys, the answering replica's first
 * @param tsaCertificate PEM certificate of the answering replica's RFC 3161 TSA
 */
public record LedgerKeys(String origin, List<String> verifierKeys, String tsaCertificate) {
}
