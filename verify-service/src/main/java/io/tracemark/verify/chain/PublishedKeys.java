package io.tracemark.verify.chain;

import io.tracemark.contracts.ledger.LedgerKeys;

import java.util.List;

/**
 * What {@code GET /v1/keys} publishes: the answering replica's keys as the chain node gives them, and every replica's
 * TSA certificate, since a receipt's RFC 3161 token may come from any replica's TSA and a browser checks it offline.
 *
 * @param origin               checkpoint origin
 * @param verifierKeys         C2SP note verifier keys, the answering replica's first
 * @param tsaCertificate       PEM certificate of the answering replica's RFC 3161 TSA
 * @param tsaCertificates      PEM certificates of every replica's TSA, the trust input for {@code timestamp.token.valid}
 * @param timestampAuthorities the external RFC 3161 authorities the operator configured
 */
public record PublishedKeys(String origin, List<String> verifierKeys, String tsaCertificate, List<String> tsaCertificates,
                            List<LedgerKeys.TimestampAuthority> timestampAuthorities) {
    /** The relayed keys with every replica's TSA certificate. */
    static PublishedKeys of(LedgerKeys relayed, List<String> replicaTsaCertificates) {
        return new PublishedKeys(relayed.origin(), relayed.verifierKeys(), relayed.tsaCertificate(),
                List.copyOf(replicaTsaCertificates), relayed.timestampAuthorities());
    }
}
