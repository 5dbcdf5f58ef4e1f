package io.tracemark.chain.witnessing;

import io.tracemark.chain.cosign.CosignatureBook;
import io.tracemark.chain.tiles.TileStore;
import io.tracemark.chain.tiles.TreeHashReader;
import io.tracemark.proofs.merkle.Tlog;
import io.tracemark.proofs.note.NoteSignature;
import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;

/** A replica's log as its witness clients see it: checkpoints from its cosignature book, proofs from its tiles. */
public final class ReplicaLog implements WitnessedLog {
    private final LongSupplier committedSize;
    private final CosignatureBook book;
    private final TileStore tiles;

    /** The log whose latest signed size {@code committedSize} reports. */
    public ReplicaLog(LongSupplier committedSize, CosignatureBook book, TileStore tiles) {
        this.committedSize = committedSize;
        this.book = book;
        this.tiles = tiles;
    }

    @Override
    public SignedCheckpoint latest() {
        long size = committedSize.getAsLong();
        // The book records a checkpoint before it becomes the committed one, so both are present.
        return new SignedCheckpoint(size, book.body(size).orElseThrow(),
                book.note(size).orElseThrow().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public byte[][] consistencyProof(long from, long to) {
        return Tlog.proveTree(to, from, new TreeHashReader(tiles, to));
    }

    @Override
    public void addCosignature(long size, String body, NoteSignature cosignature) {
        book.addWitnessCosignature(size, body, cosignature);
    }
}
