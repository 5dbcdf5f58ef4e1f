package io.tracemark.chain.cosign;

/**
 * What a replica publishes on {@code tracemark.chain.signatures} for every checkpoint it signs.
 *
 * @param origin        checkpoint origin
 * @param treeSize      checkpoint size
 * @param keyName       signer's note key name
 * @param verifierKey   signer's verifier key ({@code name+keyid+base64})
 * @param signatureLine the C2SP signed-note signature line, {@code — name base64}
 */
public record CosignatureMessage(String origin, long treeSize, String keyName, String verifierKey,
                                 String signatureLine) {
}
