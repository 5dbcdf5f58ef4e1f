package io.tracemark.proofs.witness;

import io.tracemark.proofs.CanonicalDecimal;
import io.tracemark.proofs.ProofErrorCode;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.StrictBase64;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The body of {@code POST <submission prefix>/add-checkpoint} (C2SP tlog-witness "add-checkpoint"):
 * {@code old <size>}, up to 63 base64 consistency proof hashes, an empty line, then the signed
 * checkpoint note. Parsing is strict, so {@code parse(r.encode())} round-trips.
 *
 * @param oldSize size of the checkpoint the witness is believed to have cosigned last
 * @param consistencyProof RFC 6962 §2.1.2 proof from {@code oldSize} to the checkpoint's size
 * @param checkpoint the signed checkpoint note, unparsed
 */
public record AddCheckpointRequest(long oldSize, List<byte[]> consistencyProof, byte[] checkpoint) {
    /** The protocol's limit on consistency proof lines. */
    public static final int MAX_PROOF_LINES = 63;

    /** Validates ranges and copies the arrays. */
    public AddCheckpointRequest {
        if (oldSize < 0) {
            throw malformed("old size must not be negative");
        }
        if (consistencyProof.size() > MAX_PROOF_LINES) {
            throw malformed("more than " + MAX_PROOF_LINES + " consistency proof lines");
        }
        consistencyProof = consistencyProof.stream().map(h -> {
            if (h.length != 32) {
                throw malformed("consistency proof hash is " + h.length + " bytes, expected 32");
            }
            return h.clone();
        }).toList();
        checkpoint = checkpoint.clone();
    }

    /** Returns copies of the proof hashes. */
    @Override
    public List<byte[]> consistencyProof() {
        return consistencyProof.stream().map(byte[]::clone).toList();
    }

    /** Returns the proof as an array, as RFC 9162 verifiers take it. */
    public byte[][] proofArray() {
        return consistencyProof.stream().map(byte[]::clone).toArray(byte[][]::new);
    }

    /** Returns a copy of the checkpoint note bytes. */
    @Override
    public byte[] checkpoint() {
        return checkpoint.clone();
    }

    /** Encodes the request body. */
    public byte[] encode() {
        StringBuilder head = new StringBuilder("old ").append(oldSize).append('\n');
        for (byte[] h : consistencyProof) {
            head.append(StrictBase64.encode(h)).append('\n');
        }
        head.append('\n');
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.toString().getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(checkpoint);
        return out.toByteArray();
    }

    /**
     * Parses a request body. The checkpoint is returned as bytes; opening it is the witness's next step.
     *
     * @throws ProofException {@code witness.request.malformed} if the old size line is not
     *     {@code old} and a canonical decimal, a proof line is not canonical base64 of 32 bytes, there
     *     are more than 63 proof lines, or the empty line is missing
     */
    public static AddCheckpointRequest parse(byte[] body) {
        int pos = 0;
        long oldSize = -1;
        List<byte[]> proof = new ArrayList<>();
        while (true) {
            int nl = indexOf(body, pos);
            if (nl < 0) {
                throw malformed("request ends before the empty line that precedes the checkpoint");
            }
            String line = new String(body, pos, nl - pos, StandardCharsets.UTF_8);
            pos = nl + 1;
            if (oldSize < 0) {
                oldSize = parseOldSize(line);
            } else if (line.isEmpty()) {
                break;
            } else if (proof.size() == MAX_PROOF_LINES) {
                throw malformed("more than " + MAX_PROOF_LINES + " consistency proof lines");
            } else {
                proof.add(StrictBase64.decode(line, ProofErrorCode.WITNESS_REQUEST_MALFORMED, "consistency proof line"));
            }
        }
        return new AddCheckpointRequest(oldSize, proof, Arrays.copyOfRange(body, pos, body.length));
    }

    private static long parseOldSize(String line) {
        if (!line.startsWith("old ")) {
            throw malformed("first line must be 'old <size>'");
        }
        return CanonicalDecimal.parse(line.substring(4), ProofErrorCode.WITNESS_REQUEST_MALFORMED, "old size");
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static ProofException malformed(String why) {
        return new ProofException(ProofErrorCode.WITNESS_REQUEST_MALFORMED, why);
    }
}
