package io.tracemark.chain.log;

import io.tracemark.proofs.ledger.BlockHeader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Binary form of a {@link SealedBlock} in the local block file: header encoding, offsets, batches. */
final class BlockCodec {
    static final int HEADER_BYTES = BlockHeader.ENCODED_SIZE;

    private BlockCodec() {
    }

    static byte[] encode(SealedBlock b) {
        ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + 20 + 20 * b.batches().size());
        out.put(b.header().encode()).putLong(b.leavesFromOffset()).putLong(b.leavesToOffset()).putInt(b.batches().size());
        for (Batch batch : b.batches()) {
            out.putLong(batch.offset()).putLong(batch.firstLeafIndex()).putInt(batch.count());
        }
        return out.array();
    }

    static SealedBlock decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        BlockHeader header = decodeHeader(in);
        long from = in.getLong();
        long to = in.getLong();
        int n = in.getInt();
        List<Batch> batches = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            batches.add(new Batch(in.getLong(), in.getLong(), in.getInt()));
        }
        return new SealedBlock(header, from, to, batches);
    }

    /** Reads a header written by {@link BlockHeader#encode()}. */
    static BlockHeader decodeHeader(ByteBuffer in) {
        return BlockHeader.decode(in);
    }
}
