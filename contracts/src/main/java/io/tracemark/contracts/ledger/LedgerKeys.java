package io.tracemark.contracts.ledger;

import java.util.List;

/**
 * The chain node's answer to {@code GET /v1/keys}, relayed by verify: what verifying the log offline needs.
 *
 * @param origin               checkpoint origin
 * @param verifierKeys         C2SP note verifier keys, the answering replica's first
 * @param tsaCertificate       PEM certificate of the answering replica's RFC 3161 TSA
 * @param timestampAuthorities the external RFC 3161 authorities the operator configured, each with the certificate
 *                             the operator trusts for it; none when none is configured
 */
public record LedgerKeys(String origin, List<String> verifierKeys, String tsaCertificate,
                         List<TimestampAuthority> timestampAuthorities) {
    /** Copies the lists. */
    public LedgerKeys {
        verifierKeys = List.copyOf(verifierKeys);
        timestampAuthorities = timestampAuthorities == null ? List.of() : List.copyOf(timestampAuthorities);
    }

    /** Keys of a log without external authorities. */
    public LedgerKeys(String origin, List<String> verifierKeys, String tsaCertificate) {
        this(origin, verifierKeys, tsaCertificate, List.of());
    }

    /**
     * An external RFC 3161 time-stamping authority that stamps every checkpoint.
     *
     * @param name        the operator's name for it, as receipts name it
     * @param url         where its RFC 3161 HTTP endpoint answers
     * @param certificate PEM certificate its tokens must be signed with
     */
    public record TimestampAuthority(String name, String url, String certificate) {
    }
}
