package io.tracemark.chain.tiles;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed C2SP tlog-tiles resource path, {@code <L>/<N>[.p/<W>]} or {@code entries/<N>[.p/<W>]}
 * (https://c2sp.org/tlog-tiles#merkle-tree). Only the canonical encoding is accepted: N in
 * zero-padded three-digit groups, all but the last prefixed with {@code x}, no leading
 * {@code x000}, and 1 ≤ W ≤ 255.
 *
 * @param level   tile level, or -1 for an entry bundle
 * @param index   tile index N
 * @param width   number of hashes (entries): 256 for a full tile
 */
public record TilePath(int level, long index, int width) {
    private static final Pattern PATH = Pattern.compile("(entries|0|[1-9][0-9]?)/((?:x[0-9]{3}/)*)([0-9]{3})(?:\\.p/([1-9][0-9]{0,2}))?");

    /** Whether this addresses an entry bundle. */
    public boolean entries() {
        return level < 0;
    }

    /** Whether this is a full tile. */
    public boolean full() {
        return width == TileStore.TILE_WIDTH;
    }

    /** Parses a path below {@code /tile/}; null if it is not a canonical tile path. */
    public static TilePath parse(String path) {
        Matcher m = PATH.matcher(path);
        if (!m.matches()) {
            return null;
        }
        int level = m.group(1).equals("entries") ? -1 : Integer.parseInt(m.group(1));
        if (level > 63 / TileStore.TILE_HEIGHT) {
            return null;
        }
        String digits = m.group(2).replace("x", "").replace("/", "") + m.group(3);
        if (digits.length() > 18) {
            return null;
        }
        long index = Long.parseLong(digits);
        int width = m.group(4) == null ? TileStore.TILE_WIDTH : Integer.parseInt(m.group(4));
        if (m.group(4) != null && width >= TileStore.TILE_WIDTH) {
            return null;
        }
        TilePath t = new TilePath(level, index, width);
        return t.format().equals(path) ? t : null;
    }

    /** The canonical path below {@code /tile/}. */
    public String format() {
        StringBuilder n = new StringBuilder();
        String s = Long.toString(index);
        while (s.length() % 3 != 0) {
            s = "0" + s;
        }
        for (int i = 0; i < s.length(); i += 3) {
            if (i > 0) {
                n.append('/');
            }
            if (i + 3 < s.length()) {
                n.append('x');
            }
            n.append(s, i, i + 3);
        }
        return (entries() ? "entries" : Integer.toString(level)) + "/" + n + (full() ? "" : ".p/" + width);
    }
}
