package io.tracemark.proofs.checkpoint;

import io.tracemark.proofs.CanonicalDecimal;
import io.tracemark.proofs.ProofErrorCode;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.StrictBase64;
import io.tracemark.proofs.merkle.Hashes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A C2SP tlog-checkpoint note body: origin, tree size, root hash and optional extension lines.
 *
 * <p>The body is {@code origin\n<decimal size>\n<base64 root>\n[extension\n]*}. Parsing accepts
 * only that exact form, so {@code parse(c.text())} round-trips and a body has one encoding.
 *
 * @param origin unique log identity; non-empty
 * @param size number of leaves in the tree
 * @param rootHash RFC 9162 root hash of the tree at {@code size}
 * @param extensionLines opaque non-empty lines after the root hash
 */
public record Checkpoint(String origin, long size, byte[] rootHash, List<String> extensionLines) {
    /** Validates every field so that {@link #text()} is always a well-formed body. */
    public Checkpoint {
        requireLine(origin, "origin");
        if (size < 0) {
            throw malformed("tree size must not be negative");
        }
        try {
            rootHash = Hashes.requireHash(rootHash, "root hash").clone();
        } catch (ProofException e) {
            throw malformed(e.getMessage());
        }
        extensionLines = List.copyOf(extensionLines);
        for (String line : extensionLines) {
            requireLine(line, "extension line");
        }
    }

    /** Creates a checkpoint without extension lines. */
    public Checkpoint(String origin, long size, byte[] rootHash) {
        this(origin, size, rootHash, List.of());
    }

    /** Returns a copy of the root hash. */
    @Override
    public byte[] rootHash() {
        return rootHash.clone();
    }

    /** Returns the note text: origin, size, base64 root and extensions, each newline-terminated. */
    public String text() {
        StringBuilder sb = new StringBuilder()
                .append(origin).append('\n')
                .append(size).append('\n')
                .append(StrictBase64.encode(rootHash)).append('\n');
        for (String line : extensionLines) {
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    /**
     * Parses a note text as a checkpoint body (C2SP tlog-checkpoint "Note text").
     *
     * @throws ProofException {@code checkpoint.malformed} if any line deviates from the format
     */
    public static Checkpoint parse(String text) {
        if (text == null || !text.endsWith("\n")) {
            throw malformed("checkpoint text must end with a newline");
        }
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        if (lines.length < 3) {
            throw malformed("checkpoint needs origin, size and root hash lines");
        }
        long size = CanonicalDecimal.parse(lines[1], ProofErrorCode.CHECKPOINT_MALFORMED, "tree size");
        byte[] root = StrictBase64.decode(lines[2], ProofErrorCode.CHECKPOINT_MALFORMED, "root hash");
        if (root.length != 32) {
            throw malformed("root hash is " + root.length + " bytes, expected 32");
        }
        return new Checkpoint(lines[0], size, root, new ArrayList<>(Arrays.asList(lines).subList(3, lines.length)));
    }

    private static void requireLine(String line, String what) {
        if (line == null || line.isEmpty()) {
            throw malformed(what + " must be non-empty");
        }
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) < 0x20) {
                throw malformed(what + " contains a control character or newline");
            }
        }
    }

    static ProofException malformed(String why) {
        return new ProofException(ProofErrorCode.CHECKPOINT_MALFORMED, why);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Checkpoint c && c.origin.equals(origin) && c.size == size
                && Arrays.equals(c.rootHash, rootHash) && c.extensionLines.equals(extensionLines);
    }

    @Override
    public int hashCode() {
        return (origin.hashCode() * 31 + Long.hashCode(size)) * 31 + Arrays.hashCode(rootHash);
    }

    @Override
    public String toString() {
        return "Checkpoint[" + origin + ", " + size + ", " + Hashes.hex(rootHash) + "]";
    }
}
