package io.tracemark.chain.witnessing;

import io.tracemark.proofs.cosignature.CosignatureKeys;
import io.tracemark.proofs.cosignature.Ed25519CosignatureVerifier;
import java.net.URI;

/**
 * A witness this log submits checkpoints to: its cosigner key (whose name names it) and its
 * submission prefix (C2SP tlog-witness "HTTP Interface").
 *
 * @param key the witness's cosigner key, type 0x04
 * @param submissionPrefix URL that {@code /add-checkpoint} is appended to
 */
public record WitnessEndpoint(Ed25519CosignatureVerifier key, URI submissionPrefix) {
    /** The witness's name, as on its cosignature lines. */
    public String name() {
        return key.name();
    }

    /** The add-checkpoint URL. */
    public URI addCheckpoint() {
        String base = submissionPrefix.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/add-checkpoint");
    }

    /**
     * Parses {@code <vkey> <url>}.
     *
     * @throws IllegalArgumentException if not two fields or the URL is not absolute http(s)
     * @throws io.tracemark.proofs.ProofException {@code note.key.malformed} for a bad vkey
     */
    public static WitnessEndpoint parse(String entry) {
        String[] parts = entry.trim().split("\\s+");
        if (parts.length != 2) {
            throw new IllegalArgumentException("witness '" + entry + "' must be '<vkey> <url>'");
        }
        URI url = URI.create(parts[1]);
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("witness URL " + parts[1] + " must be http or https");
        }
        return new WitnessEndpoint(CosignatureKeys.parseVerifierKey(parts[0]), url);
    }
}
