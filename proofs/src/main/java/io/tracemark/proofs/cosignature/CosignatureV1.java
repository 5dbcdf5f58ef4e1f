package io.tracemark.proofs.cosignature;

import io.tracemark.proofs.note.NoteKeys;
import java.nio.charset.StandardCharsets;

/** The Ed25519 {@code cosignature/v1} signed message and key ID (C2SP tlog-cosignature "Ed25519 signed message"). */
public final class CosignatureV1 {
    /** Signature type byte of Ed25519 cosignatures in key IDs and vkeys (C2SP tlog-cosignature "Format"). */
    public static final byte TYPE_ED25519 = 0x04;
    /** The header line that separates cosignatures from every other use of the key. */
    public static final String HEADER = "cosignature/v1";

    private CosignatureV1() {
    }

    /**
     * Returns the bytes a cosigner signs: {@code cosignature/v1\n}, {@code time <timestamp>\n}, then
     * the whole checkpoint note text (extension lines included, signature lines excluded).
     *
     * @param checkpointText the note text, ending in a newline
     * @param timestamp POSIX seconds, 0 to 2^63-1
     */
    public static byte[] signedMessage(byte[] checkpointText, long timestamp) {
        if (timestamp < 0) {
            throw new IllegalArgumentException("timestamp must be 0 to 2^63-1");
        }
        byte[] head = (HEADER + "\ntime " + timestamp + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + checkpointText.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(checkpointText, 0, out, head.length, checkpointText.length);
        return out;
    }

    /** Returns SHA-256(name ‖ "\n" ‖ 0x04 ‖ publicKey)[:4], the key ID every Ed25519 cosignature MUST use. */
    public static int keyId(String name, byte[] publicKey) {
        return NoteKeys.keyId(name, TYPE_ED25519, publicKey);
    }
}
