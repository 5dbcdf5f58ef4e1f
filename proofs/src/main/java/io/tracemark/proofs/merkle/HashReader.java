package io.tracemark.proofs.merkle;

/**
 * Reads previously stored tree hashes by stored-hash index (see {@link StoredHashes#storedHashIndex}).
 *
 * <p>Proof generators make one batched call per operation so that storage backends can fetch in a
 * single round trip. Implementations signal storage failures with unchecked exceptions.
 */
@FunctionalInterface
public interface HashReader {
    /**
     * Returns the 32-byte hashes at the given stored-hash indexes, in the same order.
     *
     * <p>Indexes are usually, but not necessarily, sorted ascending.
     */
    byte[][] readHashes(long[] indexes);
}
