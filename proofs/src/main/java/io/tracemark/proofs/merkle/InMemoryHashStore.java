package io.tracemark.proofs.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link HashReader} over stored hashes held in memory, for tests, tools and small logs.
 *
 * <p>Hashes live in fixed-size pages so the store grows without copying. Not thread-safe.
 */
public final class InMemoryHashStore implements HashReader {
    private static final int H = Rfc9162Hasher.HASH_SIZE;
    private static final int PAGE_HASHES = 1 << 14;

    private final List<byte[]> pages = new ArrayList<>();
    private final CompactRange range = new CompactRange();
    private final byte[] scratch = new byte[64 * H];
    private long stored;

    /** Creates an empty store. */
    public InMemoryHashStore() {
    }

    /** Appends a leaf by its RFC 9162 §2.1.1 leaf hash and stores its {@link StoredHashes}. */
    public void appendLeafHash(byte[] leafHash) {
        Hashes.requireHash(leafHash, "leaf hash");
        int count = range.appendLeafHash(leafHash, 0, scratch, 0);
        for (int i = 0; i < count; i++) {
            long index = stored++;
            int page = (int) (index / PAGE_HASHES);
            if (page == pages.size()) {
                pages.add(new byte[PAGE_HASHES * H]);
            }
            System.arraycopy(scratch, i * H, pages.get(page), (int) (index % PAGE_HASHES) * H, H);
        }
    }

    /** Appends a leaf by its data, hashed as SHA-256(0x00 ‖ data). */
    public void appendData(byte[] data) {
        appendLeafHash(Rfc9162Hasher.leafHash(data));
    }

    /** Returns the number of leaves stored. */
    public long size() {
        return range.size();
    }

    /** Returns MTH of all leaves stored so far. */
    public byte[] root() {
        return range.root();
    }

    /** Returns copies of the stored hashes at the given stored-hash indexes. */
    @Override
    public byte[][] readHashes(long[] indexes) {
        byte[][] out = new byte[indexes.length][];
        for (int i = 0; i < indexes.length; i++) {
            long index = indexes[i];
            if (index < 0 || index >= stored) {
                throw new IllegalArgumentException("stored hash " + index + " not present (have " + stored + ")");
            }
            out[i] = new byte[H];
            System.arraycopy(pages.get((int) (index / PAGE_HASHES)), (int) (index % PAGE_HASHES) * H, out[i], 0, H);
        }
        return out;
    }
}
