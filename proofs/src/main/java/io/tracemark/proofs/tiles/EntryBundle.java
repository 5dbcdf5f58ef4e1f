package io.tracemark.proofs.tiles;

import io.tracemark.proofs.ProofErrorCode;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.merkle.Hashes;
import io.tracemark.proofs.merkle.Rfc9162Hasher;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * C2SP tlog-tiles entry bundles: each entry as a big-endian uint16 length followed by its bytes.
 */
public final class EntryBundle {
    /** Largest entry a uint16 length prefix can describe. */
    public static final int MAX_ENTRY_SIZE = 0xFFFF;

    private EntryBundle() {
    }

    /**
     * Encodes entries into bundle bytes (C2SP tlog-tiles "Log entries").
     *
     * @throws IllegalArgumentException if there are more than 256 entries or one exceeds 65535 bytes
     */
    public static byte[] encode(List<byte[]> entries) {
        if (entries.isEmpty() || entries.size() > Tiles.WIDTH) {
            throw new IllegalArgumentException("a bundle holds 1.." + Tiles.WIDTH + " entries, got " + entries.size());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] e : entries) {
            if (e.length > MAX_ENTRY_SIZE) {
                throw new IllegalArgumentException("entry of " + e.length + " bytes exceeds " + MAX_ENTRY_SIZE);
            }
            out.write(e.length >>> 8);
            out.write(e.length & 0xFF);
            out.writeBytes(e);
        }
        return out.toByteArray();
    }

    /**
     * Decodes bundle bytes that must hold exactly {@code expectedCount} entries and nothing else
     * (C2SP tlog-tiles "Log entries"); pass the bundle's {@link TilePath#width()}.
     *
     * @throws ProofException {@code bundle.malformed} if truncated, short, or with trailing bytes
     */
    public static List<byte[]> decode(byte[] bundle, int expectedCount) {
        if (expectedCount < 1 || expectedCount > Tiles.WIDTH) {
            throw new IllegalArgumentException("expected count must be 1.." + Tiles.WIDTH);
        }
        List<byte[]> out = new ArrayList<>(expectedCount);
        int pos = 0;
        while (pos < bundle.length) {
            if (out.size() == expectedCount) {
                throw new ProofException(ProofErrorCode.BUNDLE_MALFORMED,
                        (bundle.length - pos) + " trailing bytes after " + expectedCount + " entries");
            }
            if (bundle.length - pos < 2) {
                throw new ProofException(ProofErrorCode.BUNDLE_MALFORMED, "truncated length prefix at byte " + pos);
            }
            int len = ((bundle[pos] & 0xFF) << 8) | (bundle[pos + 1] & 0xFF);
            pos += 2;
            if (bundle.length - pos < len) {
                throw new ProofException(ProofErrorCode.BUNDLE_MALFORMED,
                        "entry " + out.size() + " declares " + len + " bytes, " + (bundle.length - pos) + " remain");
            }
            out.add(Arrays.copyOfRange(bundle, pos, pos + len));
            pos += len;
        }
        if (out.size() != expectedCount) {
            throw new ProofException(ProofErrorCode.BUNDLE_MALFORMED,
                    "bundle holds " + out.size() + " entries, expected " + expectedCount);
        }
        return out;
    }

    /**
     * Checks that each entry's RFC 9162 leaf hash equals the matching hash in the authenticated
     * level-0 tile data, which authenticates the entries themselves.
     *
     * @throws ProofException {@code bundle.malformed} on count or hash mismatch
     */
    public static void verifyAgainstTile(List<byte[]> entries, byte[] levelZeroTile) {
        if (levelZeroTile.length != entries.size() * Rfc9162Hasher.HASH_SIZE) {
            throw new ProofException(ProofErrorCode.BUNDLE_MALFORMED, entries.size()
                    + " entries do not match a tile of " + levelZeroTile.length / Rfc9162Hasher.HASH_SIZE + " hashes");
        }
        for (int i = 0; i < entries.size(); i++) {
            byte[] expected = Arrays.copyOfRange(levelZeroTile, i * 32, i * 32 + 32);
            byte[] computed = Rfc9162Hasher.leafHash(entries.get(i));
            if (!Hashes.equal(expected, computed)) {
                throw ProofException.mismatch(ProofErrorCode.BUNDLE_MALFORMED, "leaf hash of entry " + i,
                        expected, computed);
            }
        }
    }
}
