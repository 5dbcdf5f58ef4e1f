package io.tracemark.proofs.cosignature;

import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.note.NoteKeys;
import java.util.function.LongSupplier;

/**
 * Cosigner key strings: vkeys with signature type 0x04 and the 32-byte Ed25519 public key
 * (C2SP tlog-cosignature "Format"), and the matching {@code PRIVATE+KEY+…} signer keys.
 */
public final class CosignatureKeys {
    private CosignatureKeys() {
    }

    /**
     * Parses a cosigner vkey {@code name+hex8+base64(0x04‖publicKey)} and checks its key ID.
     *
     * @throws ProofException {@code note.key.malformed} if malformed, not type 0x04, or the key ID
     *     does not match
     */
    public static Ed25519CosignatureVerifier parseVerifierKey(String vkey) {
        NoteKeys.EncodedKey k = NoteKeys.decodeVerifierKey(vkey);
        requireType(k, "verifier key");
        Ed25519CosignatureVerifier v = Ed25519CosignatureVerifier.of(k.name(), k.keyMaterial());
        requireKeyId(k, v.keyId(), "verifier key");
        return v;
    }

    /**
     * Parses a cosigner signer key {@code PRIVATE+KEY+name+hex8+base64(0x04‖seed)}.
     *
     * @throws ProofException {@code note.key.malformed} if malformed, not type 0x04, or the key ID
     *     does not match the derived public key
     */
    public static Ed25519CosignatureSigner parseSignerKey(String skey, LongSupplier clockSeconds) {
        NoteKeys.EncodedKey k = NoteKeys.decodeSignerKey(skey);
        requireType(k, "signer key");
        Ed25519CosignatureSigner s = Ed25519CosignatureSigner.fromSeed(k.name(), k.keyMaterial(), clockSeconds);
        requireKeyId(k, s.keyId(), "signer key");
        return s;
    }

    private static void requireType(NoteKeys.EncodedKey k, String what) {
        if (k.type() != CosignatureV1.TYPE_ED25519) {
            throw NoteKeys.keyError(what + " has signature type " + (k.type() & 0xFF) + ", a cosigner key needs 4");
        }
    }

    private static void requireKeyId(NoteKeys.EncodedKey k, int derived, String what) {
        if (k.keyId() != derived) {
            throw NoteKeys.keyError(what + " ID " + NoteKeys.keyIdHex(k.keyId()) + " does not match key ("
                    + NoteKeys.keyIdHex(derived) + ")");
        }
    }
}
