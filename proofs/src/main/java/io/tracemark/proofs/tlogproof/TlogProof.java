package io.tracemark.proofs.tlogproof;

import io.tracemark.proofs.ProofErrorCode;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.StrictBase64;
import io.tracemark.proofs.checkpoint.Checkpoint;
import io.tracemark.proofs.merkle.Rfc9162Hasher;
import io.tracemark.proofs.note.Note;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An offline inclusion proof in the C2SP tlog-proof format ({@code .tlog-proof} files):
 *
 * <pre>
 * c2sp.org/tlog-proof@v1
 * [extra &lt;base64&gt;]
 * index &lt;decimal&gt;
 * &lt;base64 hash&gt;*          (leaf sibling first, RFC 9162 §2.1.3)
 * (blank line)
 * &lt;signed checkpoint note, verbatim&gt;
 * </pre>
 *
 * <p>Parsing is strict: {@code parse(p.encode())} round-trips and nothing else is accepted.
 * Parsing checks syntax only; use {@link TlogProofVerifier} to verify.
 *
 * @param extra opaque, unauthenticated application data, or {@code null} when absent
 * @param index zero-based leaf index
 * @param hashes inclusion proof hashes
 * @param signedCheckpoint the checkpoint signed note bytes
 */
public record TlogProof(byte[] extra, long index, List<byte[]> hashes, byte[] signedCheckpoint) {
    /** First line of every proof. */
    public static final String HEADER = "c2sp.org/tlog-proof@v1";
    /** Proofs for trees below 2^63 leaves never need more hashes than this. */
    public static final int MAX_HASHES = 63;

    private static final String EXTRA = "extra ";
    private static final String INDEX = "index ";

    /** Validates all fields and copies arrays, so {@link #encode()} is always well-formed. */
    public TlogProof {
        extra = extra == null ? null : extra.clone();
        if (index < 0) {
            throw malformed("index must not be negative");
        }
        if (hashes.size() > MAX_HASHES) {
            throw malformed(hashes.size() + " proof hashes exceed " + MAX_HASHES);
        }
        List<byte[]> copy = new ArrayList<>(hashes.size());
        for (byte[] h : hashes) {
            if (h == null || h.length != Rfc9162Hasher.HASH_SIZE) {
                throw malformed("proof hash must be " + Rfc9162Hasher.HASH_SIZE + " bytes");
            }
            copy.add(h.clone());
        }
        hashes = List.copyOf(copy);
        signedCheckpoint = signedCheckpoint.clone();
        try {
            Checkpoint.parse(Note.parse(signedCheckpoint).text());
        } catch (ProofException e) {
            throw new ProofException(ProofErrorCode.TLOG_PROOF_MALFORMED, "embedded checkpoint: " + e.getMessage(), e);
        }
    }

    /** Creates a proof from an inclusion proof as returned by {@code Tlog.proveRecord}. */
    public static TlogProof of(long index, byte[][] inclusionProof, byte[] signedCheckpoint, byte[] extra) {
        return new TlogProof(extra, index, Arrays.asList(inclusionProof), signedCheckpoint);
    }

    /** Returns a copy of the extra data, or {@code null}. */
    @Override
    public byte[] extra() {
        return extra == null ? null : extra.clone();
    }

    /** Returns copies of the proof hashes as an array, ready for RFC 9162 verification. */
    public byte[][] proofHashes() {
        return hashes.stream().map(byte[]::clone).toArray(byte[][]::new);
    }

    /** Returns a copy of the signed checkpoint note. */
    @Override
    public byte[] signedCheckpoint() {
        return signedCheckpoint.clone();
    }

    /** Encodes the proof in the C2SP tlog-proof format. */
    public byte[] encode() {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        if (extra != null) {
            sb.append(EXTRA).append(StrictBase64.encode(extra)).append('\n');
        }
        sb.append(INDEX).append(index).append('\n');
        for (byte[] h : hashes) {
            sb.append(StrictBase64.encode(h)).append('\n');
        }
        sb.append('\n');
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(sb.toString().getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(signedCheckpoint);
        return out.toByteArray();
    }

    /**
     * Parses a C2SP tlog-proof file.
     *
     * @throws ProofException {@code tlogproof.malformed} on any deviation from the format
     */
    public static TlogProof parse(byte[] data) {
        Cursor c = new Cursor(data);
        if (!HEADER.equals(c.line())) {
            throw malformed("first line must be " + HEADER);
        }
        String line = c.line();
        byte[] extra = null;
        if (line != null && line.startsWith(EXTRA)) {
            extra = StrictBase64.decode(line.substring(EXTRA.length()), ProofErrorCode.TLOG_PROOF_MALFORMED, "extra data");
            line = c.line();
        }
        if (line == null || !line.startsWith(INDEX)) {
            throw malformed("missing index line");
        }
        long index = parseIndex(line.substring(INDEX.length()));
        List<byte[]> hashes = new ArrayList<>();
        while (true) {
            line = c.line();
            if (line == null) {
                throw malformed("missing blank line before checkpoint");
            }
            if (line.isEmpty()) {
                break;
            }
            if (hashes.size() == MAX_HASHES) {
                throw malformed("more than " + MAX_HASHES + " proof hashes");
            }
            byte[] h = StrictBase64.decode(line, ProofErrorCode.TLOG_PROOF_MALFORMED, "proof hash");
            if (h.length != Rfc9162Hasher.HASH_SIZE) {
                throw malformed("proof hash is " + h.length + " bytes, expected " + Rfc9162Hasher.HASH_SIZE);
            }
            hashes.add(h);
        }
        byte[] checkpoint = c.rest();
        if (checkpoint.length == 0) {
            throw malformed("missing checkpoint");
        }
        return new TlogProof(extra, index, hashes, checkpoint);
    }

    private static long parseIndex(String s) {
        boolean digits = !s.isEmpty() && s.length() <= 19 && s.chars().allMatch(ch -> ch >= '0' && ch <= '9');
        if (!digits || (s.length() > 1 && s.charAt(0) == '0')) {
            throw malformed("index '" + s + "' is not a canonical decimal");
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw malformed("index " + s + " is too large");
        }
    }

    static ProofException malformed(String why) {
        return new ProofException(ProofErrorCode.TLOG_PROOF_MALFORMED, why);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TlogProof p && Arrays.equals(p.encode(), encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "TlogProof[index=" + index + ", hashes=" + hashes.size() + "]";
    }

    /** Reads newline-terminated ASCII header lines, then hands over the remaining bytes verbatim. */
    private static final class Cursor {
        // The header is short; bound it so a file without newlines cannot make us scan far.
        private static final int MAX_LINE = 4096;
        private final byte[] data;
        private int pos;

        Cursor(byte[] data) {
            this.data = data;
        }

        String line() {
            for (int i = pos; i < data.length && i - pos <= MAX_LINE; i++) {
                if (data[i] == '\n') {
                    for (int j = pos; j < i; j++) {
                        if (data[j] < 0x20 || data[j] > 0x7E) {
                            throw malformed("non-ASCII or control byte in proof header");
                        }
                    }
                    String s = new String(data, pos, i - pos, StandardCharsets.US_ASCII);
                    pos = i + 1;
                    return s;
                }
            }
            return null;
        }

        byte[] rest() {
            return Arrays.copyOfRange(data, pos, data.length);
        }
    }
}
