package io.tracemark.proofs.note;

import io.tracemark.proofs.ProofErrorCode;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.StrictBase64;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A signed note's text and signature lines, parsed without checking signatures
 * (C2SP signed-note "Format"). Use {@link Notes#open} to verify.
 *
 * <p>Parsing is strict and canonical: {@code parse(b).encode()} reproduces {@code b} exactly.
 *
 * @param text note text, including its final newline
 * @param signatures signature lines in order of appearance
 */
public record Note(String text, List<NoteSignature> signatures) {
    /** Upper bound on signature lines, so hostile notes cannot cost unbounded verification work. */
    public static final int MAX_SIGNATURES = 100;

    private static final byte[] SIG_PREFIX = "\u2014 ".getBytes(StandardCharsets.UTF_8);

    /** Validates the text and copies the signature list. */
    public Note {
        requireText(text);
        signatures = List.copyOf(signatures);
        if (signatures.size() > MAX_SIGNATURES) {
            throw malformed("more than " + MAX_SIGNATURES + " signatures");
        }
    }

    /** Returns the UTF-8 bytes of the text, which is what signatures cover. */
    public byte[] textBytes() {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Encodes text, blank line and signature lines (C2SP signed-note "Format").
     *
     * @throws IllegalStateException if there are no signatures, which the format cannot express
     */
    public byte[] encode() {
        if (signatures.isEmpty()) {
            throw new IllegalStateException("a signed note needs at least one signature");
        }
        StringBuilder sb = new StringBuilder(text).append('\n');
        for (NoteSignature s : signatures) {
            sb.append(s.line());
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Parses a signed note without verifying it (C2SP signed-note "Format").
     *
     * @throws ProofException {@code note.malformed} for invalid UTF-8, control characters, a
     *     missing signature block, or any malformed signature line
     */
    public static Note parse(byte[] msg) {
        requireUtf8(msg);
        int split = lastBlankLine(msg);
        if (split < 0) {
            throw malformed("no blank line before signatures");
        }
        String text = new String(msg, 0, split + 1, StandardCharsets.UTF_8);
        int pos = split + 2;
        if (pos >= msg.length || msg[msg.length - 1] != '\n') {
            throw malformed("signature block must be non-empty and end with a newline");
        }
        List<NoteSignature> sigs = new ArrayList<>();
        while (pos < msg.length) {
            int end = indexOf(msg, (byte) '\n', pos);
            if (sigs.size() == MAX_SIGNATURES) {
                throw malformed("more than " + MAX_SIGNATURES + " signatures");
            }
            sigs.add(parseLine(msg, pos, end));
            pos = end + 1;
        }
        return new Note(text, sigs);
    }

    private static NoteSignature parseLine(byte[] msg, int start, int end) {
        if (end - start < SIG_PREFIX.length || !startsWith(msg, start, SIG_PREFIX)) {
            throw malformed("signature line must start with EM DASH and space");
        }
        String line = new String(msg, start + SIG_PREFIX.length, end - start - SIG_PREFIX.length,
                StandardCharsets.UTF_8);
        int space = line.indexOf(' ');
        if (space < 0) {
            throw malformed("signature line needs a key name and a signature");
        }
        String name = line.substring(0, space);
        if (!NoteKeys.isValidKeyName(name)) {
            throw malformed("invalid key name on signature line");
        }
        byte[] raw = StrictBase64.decode(line.substring(space + 1), ProofErrorCode.NOTE_MALFORMED, "signature");
        if (raw.length < 5) {
            throw malformed("signature shorter than key ID plus one byte");
        }
        int keyId = ((raw[0] & 0xFF) << 24) | ((raw[1] & 0xFF) << 16) | ((raw[2] & 0xFF) << 8) | (raw[3] & 0xFF);
        byte[] sig = new byte[raw.length - 4];
        System.arraycopy(raw, 4, sig, 0, sig.length);
        return new NoteSignature(name, keyId, sig);
    }

    /** Rejects text the format cannot carry: no final newline, controls, or non-Unicode chars. */
    static void requireText(String text) {
        if (text == null || text.isEmpty() || text.charAt(text.length() - 1) != '\n') {
            throw malformed("note text must end with a newline");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\n') {
                throw malformed("control character U+" + String.format("%04X", (int) c) + " in note text");
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw malformed("unpaired surrogate in note text");
            }
        }
    }

    private static void requireUtf8(byte[] msg) {
        String s;
        try {
            s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(msg)).toString();
        } catch (CharacterCodingException e) {
            throw malformed("not valid UTF-8");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 && c != '\n') {
                throw malformed("control character U+" + String.format("%04X", (int) c));
            }
        }
    }

    private static int lastBlankLine(byte[] msg) {
        for (int i = msg.length - 2; i >= 0; i--) {
            if (msg[i] == '\n' && msg[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(byte[] b, byte v, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWith(byte[] b, int off, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (b[off + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    static ProofException malformed(String why) {
        return new ProofException(ProofErrorCode.NOTE_MALFORMED, why);
    }
}
