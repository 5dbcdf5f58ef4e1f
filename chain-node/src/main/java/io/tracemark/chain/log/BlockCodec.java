package io.tracemark.chain.log;

import io.tracemark.proofs.ledger.BlockHeader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary form of a {@link SealedBlock} in the local block file.
 *
 * <pre>
 * block      = header(112, BlockHeader#encode) ‖ leavesFromOffset(8) ‖ leavesToOffset(8) ‖ n(4)
 *              ‖ n × (offset(8) ‖ firstLeafIndex(8) ‖ count(4)) ‖ *extension
 * extension  = type(1) ‖ length(4) ‖ body(length)
 * type 1     = skipped positions: k(4) ‖ k × (batch(4) ‖ m(4) ‖ m × position(4)), batches ascending
 * </pre>
 *
 * <p>Everything before the extensions is the format of data directories written before leaf
 * deduplication, and a block without skipped digests is still written exactly so. {@link BlockStore}
 * knows each block's length from its index, so a block with nothing after the batches is an old (or
 * duplicate-free) one and old files open unchanged; no version byte was needed, and the header
 * encoding, which the block hash covers, is untouched. Extensions are length-prefixed so that a
 * later one can be added the same way.
 */
final class BlockCodec {
    static final int HEADER_BYTES = BlockHeader.ENCODED_SIZE;
    /** Extension type holding each batch's skipped positions. */
    static final byte SKIPPED = 1;

    private BlockCodec() {
    }

    static byte[] encode(SealedBlock b) {
        List<Batch> batches = b.batches();
        int withSkips = 0;
        int skipBytes = 0;
        for (Batch batch : batches) {
            if (!batch.skipped().isEmpty()) {
                withSkips++;
                skipBytes += 8 + 4 * batch.skipped().size();
            }
        }
        int extension = withSkips == 0 ? 0 : 1 + 4 + 4 + skipBytes;
        ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + 20 + 20 * batches.size() + extension);
        out.put(b.header().encode()).putLong(b.leavesFromOffset()).putLong(b.leavesToOffset()).putInt(batches.size());
        for (Batch batch : batches) {
            out.putLong(batch.offset()).putLong(batch.firstLeafIndex()).putInt(batch.count());
        }
        if (withSkips > 0) {
            out.put(SKIPPED).putInt(4 + skipBytes).putInt(withSkips);
            for (int i = 0; i < batches.size(); i++) {
                List<Integer> skipped = batches.get(i).skipped();
                if (!skipped.isEmpty()) {
                    out.putInt(i).putInt(skipped.size());
                    skipped.forEach(out::putInt);
                }
            }
        }
        return out.array();
    }

    static SealedBlock decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        BlockHeader header = decodeHeader(in);
        long from = in.getLong();
        long to = in.getLong();
        int n = in.getInt();
        long[] offsets = new long[n];
        long[] firsts = new long[n];
        int[] counts = new int[n];
        for (int i = 0; i < n; i++) {
            offsets[i] = in.getLong();
            firsts[i] = in.getLong();
            counts[i] = in.getInt();
        }
        List<List<Integer>> skipped = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            skipped.add(List.of());
        }
        while (in.hasRemaining()) {
            byte type = in.get();
            int length = in.getInt();
            if (length < 0 || length > in.remaining()) {
                throw new IllegalStateException("block " + header.height() + ": extension " + type + " overruns the block");
            }
            ByteBuffer body = in.slice(in.position(), length);
            in.position(in.position() + length);
            if (type == SKIPPED) {
                readSkipped(body, skipped, header.height());
            }
            // Other types come from a newer version; what this one knows is complete without them.
        }
        List<Batch> batches = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            batches.add(new Batch(offsets[i], firsts[i], counts[i], skipped.get(i)));
        }
        return new SealedBlock(header, from, to, batches);
    }

    private static void readSkipped(ByteBuffer body, List<List<Integer>> skipped, long height) {
        int k = body.getInt();
        for (int j = 0; j < k; j++) {
            int batch = body.getInt();
            int m = body.getInt();
            if (batch < 0 || batch >= skipped.size() || m <= 0 || m > body.remaining() / 4) {
                throw new IllegalStateException("block " + height + ": bad skipped positions for batch " + batch);
            }
            List<Integer> positions = new ArrayList<>(m);
            for (int p = 0; p < m; p++) {
                positions.add(body.getInt());
            }
            skipped.set(batch, positions);
        }
    }

    /** Reads a header written by {@link BlockHeader#encode()}. */
    static BlockHeader decodeHeader(ByteBuffer in) {
        return BlockHeader.decode(in);
    }
}
