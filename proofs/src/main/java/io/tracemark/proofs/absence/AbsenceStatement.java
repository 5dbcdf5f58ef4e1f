package io.tracemark.proofs.absence;

import io.tracemark.proofs.ProofErrorCode;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.StrictBase64;
import io.tracemark.proofs.note.NoteSigner;
import io.tracemark.proofs.note.Notes;
import io.tracemark.proofs.note.VerifiedNote;
import io.tracemark.proofs.note.VerifierSet;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * "No leaf of the tree of {@code origin} at {@code treeSize} leaves, whose root is {@code root}, has record digest
 * (leaf data) or RFC 9162 leaf hash {@code hash}": the body of a C2SP signed note, signed by a log replica's key.
 * Its first line is a fixed header, so the note can never be read as a checkpoint. Format: docs/absence.md.
 *
 * @param origin   the log's origin line, as in its checkpoints
 * @param treeSize the number of leaves the statement covers
 * @param root     the RFC 9162 root of those leaves (32 bytes)
 * @param hash     the record digest or leaf hash looked up (32 bytes)
 */
public record AbsenceStatement(String origin, long treeSize, byte[] root, byte[] hash) {
    /** First line of every statement. */
    public static final String HEADER = "tracemark.dev/leaf-absence/v1";
    private static final Pattern SIZE = Pattern.compile("0|[1-9][0-9]{0,18}");
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    public AbsenceStatement {
        Objects.requireNonNull(origin, "origin");
        if (origin.isEmpty() || origin.contains("\n") || treeSize < 0 || root == null || root.length != 32
                || hash == null || hash.length != 32) {
            throw new IllegalArgumentException("an absence statement needs an origin, a size >= 0, a 32-byte root and hash");
        }
        root = root.clone();
        hash = hash.clone();
    }

    @Override
    public byte[] root() {
        return root.clone();
    }

    @Override
    public byte[] hash() {
        return hash.clone();
    }

    /** The note body: header, origin, tree size, base64 root, lower-case hex hash, each line ending in a newline. */
    public String text() {
        return HEADER + "\n" + origin + "\n" + treeSize + "\n" + Base64.getEncoder().encodeToString(root) + "\n"
                + HexFormat.of().formatHex(hash) + "\n";
    }

    /** Parses a statement body exactly as {@link #text()} writes it. */
    public static AbsenceStatement parse(String text) {
        String[] lines = text.split("\n", -1);
        if (lines.length != 6 || !lines[5].isEmpty()) {
            throw malformed("a statement is five lines, each ending in a newline");
        }
        if (!HEADER.equals(lines[0])) {
            throw malformed("the first line is '" + HEADER + "'");
        }
        if (lines[1].isEmpty()) {
            throw malformed("the origin line is empty");
        }
        if (!SIZE.matcher(lines[2]).matches()) {
            throw malformed("the tree size is a decimal number without leading zeros");
        }
        long size;
        try {
            size = Long.parseLong(lines[2]);
        } catch (NumberFormatException e) {
            throw malformed("the tree size does not fit 63 bits");
        }
        byte[] root = StrictBase64.decode(lines[3], ProofErrorCode.ABSENCE_MALFORMED, "the root");
        if (root.length != 32) {
            throw malformed("the root is 32 bytes");
        }
        if (!HEX.matcher(lines[4]).matches()) {
            throw malformed("the hash is 64 lower-case hex digits");
        }
        return new AbsenceStatement(lines[1], size, root, HexFormat.of().parseHex(lines[4]));
    }

    /** The statement as a signed note. */
    public byte[] sign(NoteSigner... signers) {
        return Notes.sign(text(), signers);
    }

    /**
     * Verifies a signed statement: at least {@code threshold} keys of {@code trusted} signed it (none badly), it
     * parses, and it is about {@code expectedOrigin} and {@code askedHash}. Signatures are checked before the body
     * is read.
     *
     * @throws ProofException {@code note.malformed}, {@code signature.invalid}, {@code note.unverified},
     *     {@code signature.threshold}, {@code absence.malformed}, {@code absence.origin.mismatch} or
     *     {@code absence.hash.mismatch}
     */
    public static AbsenceStatement verify(byte[] signedNote, String expectedOrigin, VerifierSet trusted, int threshold,
                                          byte[] askedHash) {
        if (threshold < 1) {
            throw new IllegalArgumentException("threshold must be at least 1, got " + threshold);
        }
        VerifiedNote note = Notes.open(signedNote, trusted);
        if (note.verifiedBy().size() < threshold) {
            throw new ProofException(ProofErrorCode.SIGNATURE_THRESHOLD, "absence statement signed by "
                    + note.verifiedBy().size() + " trusted keys, need " + threshold);
        }
        AbsenceStatement s = parse(note.text());
        if (!s.origin().equals(expectedOrigin)) {
            throw new ProofException(ProofErrorCode.ABSENCE_ORIGIN_MISMATCH,
                    "statement about log '" + s.origin() + "', expected '" + expectedOrigin + "'");
        }
        if (!Arrays.equals(s.hash, askedHash)) {
            throw new ProofException(ProofErrorCode.ABSENCE_HASH_MISMATCH, "statement about "
                    + HexFormat.of().formatHex(s.hash) + ", asked about " + HexFormat.of().formatHex(askedHash));
        }
        return s;
    }

    private static ProofException malformed(String why) {
        return new ProofException(ProofErrorCode.ABSENCE_MALFORMED, why);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AbsenceStatement s && origin.equals(s.origin) && treeSize == s.treeSize
                && Arrays.equals(root, s.root) && Arrays.equals(hash, s.hash);
    }

    @Override
    public int hashCode() {
        return Objects.hash(origin, treeSize, Arrays.hashCode(root), Arrays.hashCode(hash));
    }

    @Override
    public String toString() {
        return text();
    }
}
