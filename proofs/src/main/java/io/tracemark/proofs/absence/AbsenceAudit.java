package io.tracemark.proofs.absence;

import io.tracemark.proofs.merkle.CompactRange;
import io.tracemark.proofs.merkle.Rfc9162Hasher;
import io.tracemark.proofs.tiles.EntryBundle;
import io.tracemark.proofs.tiles.TileFetcher;
import io.tracemark.proofs.tiles.TilePath;
import io.tracemark.proofs.tiles.Tiles;

import java.util.Arrays;
import java.util.List;

/**
 * Checks an {@link AbsenceStatement} against the log's published entry bundles (C2SP tlog-tiles): every leaf of
 * the covered tree is read, the leaves must hash to the statement's root, and none may have the statement's hash
 * as its data or leaf hash. A statement that fails is evidence, signed by the replica, that it lied.
 */
public final class AbsenceAudit {
    private AbsenceAudit() {
    }

    /** What the tiles say about a statement. */
    public enum Outcome {
        /** The tiles hash to the root and no leaf has the hash: the statement is true. */
        CONFIRMED,
        /** The tiles hash to the root and leaf {@link Result#leafIndex()} has the hash: the statement is false. */
        CONTRADICTED,
        /** The tiles served do not hash to the statement's root: they are not the tree the statement covers. */
        ROOT_MISMATCH
    }

    /** The outcome, with the contradicting leaf's index (or -1). */
    public record Result(Outcome outcome, long leafIndex) {
    }

    /** Reads the entry bundles of the statement's tree through {@code entries} and judges the statement. */
    public static Result audit(AbsenceStatement statement, TileFetcher entries) {
        byte[] hash = statement.hash();
        long size = statement.treeSize();
        CompactRange range = new CompactRange();
        long found = -1;
        for (long first = 0; first < size; first += Tiles.WIDTH) {
            TilePath bundle = Tiles.entryBundleForLeaf(first, size);
            List<byte[]> leaves = EntryBundle.decode(entries.fetch(bundle), bundle.width());
            for (int i = 0; i < leaves.size(); i++) {
                byte[] data = leaves.get(i);
                byte[] leafHash = Rfc9162Hasher.leafHash(data);
                range.appendLeafHash(leafHash);
                if (found < 0 && (Arrays.equals(data, hash) || Arrays.equals(leafHash, hash))) {
                    found = first + i;
                }
            }
        }
        if (!Arrays.equals(range.root(), statement.root())) {
            return new Result(Outcome.ROOT_MISMATCH, -1);
        }
        return found >= 0 ? new Result(Outcome.CONTRADICTED, found) : new Result(Outcome.CONFIRMED, -1);
    }
}
