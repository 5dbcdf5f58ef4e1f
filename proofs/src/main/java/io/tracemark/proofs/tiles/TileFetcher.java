package io.tracemark.proofs.tiles;

/**
 * Fetches raw tile bytes, e.g. over HTTP from {@code <prefix>/<path>} or from local storage.
 *
 * <p>Returned bytes are untrusted: {@link TileHashReader} authenticates them. Failures to fetch
 * are signalled with unchecked exceptions such as {@link java.io.UncheckedIOException}.
 */
@FunctionalInterface
public interface TileFetcher {
    /**
     * Returns the bytes served at {@code tile.format()}; for a partial tile the full tile's bytes
     * are also accepted, as C2SP tlog-tiles lets clients fall back to it.
     */
    byte[] fetch(TilePath tile);
}
