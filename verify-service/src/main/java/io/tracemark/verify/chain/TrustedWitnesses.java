package io.tracemark.verify.chain;

import java.util.List;

/**
 * The witnesses this service trusts ({@code tracemark.verify.witnesses}) and how many must cosign, for browsers and
 * clients that apply the same witness policy to a receipt themselves.
 *
 * @param witnesses C2SP tlog-cosignature verifier keys (type 0x04)
 * @param threshold how many of them must have cosigned; 0 when none are trusted
 */
public record TrustedWitnesses(List<String> witnesses, int threshold) {
}
