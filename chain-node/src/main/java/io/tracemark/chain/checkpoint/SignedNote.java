package io.tracemark.chain.checkpoint;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A C2SP signed note (https://c2sp.org/signed-note): text ending in a newline, a blank line, then one
 * {@code — name base64(keyid ‖ signature)} line per signature.
 *
 * @param text       the signed text, ending in {@code \n}
 * @param signatures the signature lines, without their trailing newline
 */
public record SignedNote(String text, List<String> signatures) {
    /** The em dash and space starting every signature line. */
    public static final String DASH = "\u2014 ";

    public SignedNote {
        if (!text.endsWith("\n")) {
            throw new IllegalArgumentException("note text must end with a newline");
        }
        signatures = List.copyOf(signatures);
    }

    /** Parses a note into text and signature lines (signatures are not verified here). */
    public static SignedNote parse(String note) {
        int split = note.lastIndexOf("\n\n");
        if (split < 0 || !note.endsWith("\n")) {
            throw new IllegalArgumentException("not a signed note");
        }
        List<String> sigs = new ArrayList<>();
        for (String line : note.substring(split + 2).split("\n")) {
            if (!line.startsWith(DASH)) {
                throw new IllegalArgumentException("malformed signature line: " + line);
            }
            sigs.add(line);
        }
        return new SignedNote(note.substring(0, split + 1), sigs);
    }

    /** The full note text with its signatures. */
    public String format() {
        StringBuilder sb = new StringBuilder(text).append('\n');
        for (String s : signatures) {
            sb.append(s).append('\n');
        }
        return sb.toString();
    }

    /** Whether {@code line} is a valid signature by {@code verifier} over {@code text}. */
    public static boolean verifyLine(String text, String line, NoteVerifier verifier) {
        if (!line.startsWith(DASH)) {
            return false;
        }
        String[] parts = line.substring(DASH.length()).split(" ", -1);
        if (parts.length != 2 || !parts[0].equals(verifier.name())) {
            return false;
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (blob.length != 68 || ByteBuffer.wrap(blob).getInt() != verifier.keyId()) {
            return false;
        }
        return verifier.verify(text, java.util.Arrays.copyOfRange(blob, 4, 68));
    }

    /** Whether some signature line of this note verifies with {@code verifier}. */
    public boolean isSignedBy(NoteVerifier verifier) {
        return signatures.stream().anyMatch(l -> verifyLine(text, l, verifier));
    }
}
