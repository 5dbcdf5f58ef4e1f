package io.tracemark.proofs.tiles;

import io.tracemark.proofs.ProofErrorCode;
import io.tracemark.proofs.ProofException;

/**
 * A C2SP tlog-tiles resource path: {@code tile/<L>/<N>[.p/<W>]} or {@code tile/entries/<N>[.p/<W>]}.
 *
 * <p>Paths arrive from the public internet, so {@link #parse} accepts only the exact canonical
 * form that {@link #format} produces; every other spelling of the same tile is rejected.
 *
 * @param entries whether this is an entry bundle rather than a hash tile
 * @param level tile level (0–63); always 0 for entry bundles
 * @param index tile index N within its level
 * @param width number of hashes or entries: 256 for a full tile, 1–255 for a partial one
 */
public record TilePath(boolean entries, int level, long index, int width) {
    /** Largest level allowed in a path (C2SP tlog-tiles "Merkle Tree"). */
    public static final int MAX_LEVEL = 63;

    private static final String PREFIX = "tile/";
    private static final String ENTRIES = "entries";
    // A long has at most 19 digits, i.e. 7 three-digit groups; anything longer is hostile.
    private static final int MAX_PATH_LENGTH = 64;

    /** Validates the coordinates. */
    public TilePath {
        if (level < 0 || level > MAX_LEVEL || (entries && level != 0)) {
            throw new IllegalArgumentException("invalid tile level " + level);
        }
        if (index < 0) {
            throw new IllegalArgumentException("negative tile index " + index);
        }
        if (width < 1 || width > Tiles.WIDTH) {
            throw new IllegalArgumentException("tile width must be 1.." + Tiles.WIDTH + ", got " + width);
        }
    }

    /** Returns the hash tile at the given level and index. */
    public static TilePath hashTile(int level, long index, int width) {
        return new TilePath(false, level, index, width);
    }

    /** Returns the entry bundle with the given index. */
    public static TilePath entryBundle(long index, int width) {
        return new TilePath(true, 0, index, width);
    }

    /** Returns whether the tile holds fewer than 256 hashes (C2SP tlog-tiles "Partial Tiles"). */
    public boolean isPartial() {
        return width < Tiles.WIDTH;
    }

    /** Returns the entry bundle that holds the entries hashed into this level-0 tile. */
    public TilePath toEntryBundle() {
        if (entries || level != 0) {
            throw new IllegalStateException("only level-0 hash tiles have an entry bundle: " + this);
        }
        return entryBundle(index, width);
    }

    /** Formats the canonical path relative to the log prefix (C2SP tlog-tiles "Merkle Tree"). */
    public String format() {
        StringBuilder sb = new StringBuilder(PREFIX);
        sb.append(entries ? ENTRIES : Integer.toString(level)).append('/');
        appendIndex(sb, index);
        if (isPartial()) {
            sb.append(".p/").append(width);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return format();
    }

    /**
     * Parses a canonical tile or entry bundle path relative to the log prefix.
     *
     * @throws ProofException {@code tile.path.malformed} for anything but the exact canonical form
     */
    public static TilePath parse(String path) {
        if (path == null || path.length() > MAX_PATH_LENGTH || !path.startsWith(PREFIX)) {
            throw malformed(path, "must start with tile/");
        }
        String[] seg = path.substring(PREFIX.length()).split("/", -1);
        if (seg.length < 2) {
            throw malformed(path, "missing index");
        }
        boolean entries = seg[0].equals(ENTRIES);
        int level = entries ? 0 : parseSmall(seg[0], MAX_LEVEL, 0, path, "level");
        int last = seg.length - 1;
        int width = Tiles.WIDTH;
        String lastGroup = seg[last];
        if (last >= 2 && seg[last - 1].endsWith(".p")) {
            width = parseSmall(seg[last], Tiles.WIDTH - 1, 1, path, "width");
            lastGroup = seg[last - 1].substring(0, seg[last - 1].length() - 2);
            last--;
        }
        long index = 0;
        for (int i = 1; i <= last; i++) {
            String group = i == last ? lastGroup : seg[i];
            boolean inner = i < last;
            if (inner && (!group.startsWith("x") || (i == 1 && group.equals("x000")))) {
                // Canonical encoding never emits a leading zero group.
                throw malformed(path, "index group " + group + " is not canonical");
            }
            String digits = inner ? group.substring(1) : group;
            if (digits.length() != 3 || !isAsciiDigits(digits)) {
                throw malformed(path, "index group " + group + " must be three digits");
            }
            try {
                index = Math.addExact(Math.multiplyExact(index, 1000L), Integer.parseInt(digits));
            } catch (ArithmeticException e) {
                throw malformed(path, "index overflows");
            }
        }
        return new TilePath(entries, level, index, width);
    }

    private static void appendIndex(StringBuilder sb, long n) {
        String digits = Long.toString(n);
        int pad = (3 - digits.length() % 3) % 3;
        digits = "0".repeat(pad) + digits;
        for (int i = 0; i < digits.length(); i += 3) {
            if (i + 3 < digits.length()) {
                sb.append('x').append(digits, i, i + 3).append('/');
            } else {
                sb.append(digits, i, i + 3);
            }
        }
    }

    /** Parses a decimal with no leading zeros in [min, max]. */
    private static int parseSmall(String s, int max, int min, String path, String what) {
        if (s.isEmpty() || s.length() > 3 || !isAsciiDigits(s) || (s.length() > 1 && s.charAt(0) == '0')) {
            throw malformed(path, what + " '" + s + "' is not a canonical decimal");
        }
        int v = Integer.parseInt(s);
        if (v < min || v > max) {
            throw malformed(path, what + " " + v + " out of range " + min + ".." + max);
        }
        return v;
    }

    private static boolean isAsciiDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static ProofException malformed(String path, String why) {
        String shown = path == null ? "<null>" : path.length() > MAX_PATH_LENGTH ? path.substring(0, MAX_PATH_LENGTH) + "…" : path;
        return new ProofException(ProofErrorCode.TILE_PATH_MALFORMED, "'" + shown + "': " + why);
    }
}
