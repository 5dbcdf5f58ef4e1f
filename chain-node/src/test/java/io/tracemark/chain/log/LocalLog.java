package io.tracemark.chain.log;

import io.tracemark.proofs.ledger.LeafBatchCodec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.awaitility.Awaitility;

/** A replica's log without Kafka: records are applied directly, blocks sealed by a real {@link Sealer}. */
final class LocalLog implements AutoCloseable {
    final LogStorage storage;
    final LogEngine engine;
    final Sealer sealer;
    final List<Commit> durable = Collections.synchronizedList(new ArrayList<>());

    LocalLog(Path dir, int maxLeaves) {
        storage = LogStorage.open(dir);
        engine = new LogEngine(storage.tiles(), storage.blocks(), storage.index(), storage.range(), storage.state(),
                maxLeaves, 8192);
        sealer = new Sealer(storage, durable::add);
    }

    void apply(long offset, byte[] value) {
        apply(offset, value, (LeafHashes) null);
    }

    /** Applies with the record's leaf hashes computed elsewhere, as the apply loop does (null: inline). */
    void apply(long offset, byte[] value, byte[] leafHashes) {
        apply(offset, value, LeafHashes.of(leafHashes));
    }

    /** Applies with leaf hashes and subtree roots computed elsewhere, as the apply loop does (null: inline). */
    void apply(long offset, byte[] value, LeafHashes ahead) {
        Commit c = engine.apply(offset, 1_700_000_000_000L + offset, value, ahead);
        if (c != null) {
            try {
                sealer.submit(c);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    void awaitDurable(long treeSize) {
        Awaitility.await().until(() -> !durable.isEmpty() && durable.get(durable.size() - 1).state().treeSize() >= treeSize);
    }

    /** Closes the files without sealing anything further, as far as a JVM can imitate a crash. */
    void abandon() throws InterruptedException {
        sealer.close();
        storage.close();
    }

    @Override
    public void close() throws InterruptedException {
        sealer.close();
        storage.close();
    }

    /** Deterministic topic content: leaf batches of varying size with a seal marker every few records. */
    static List<byte[]> records(int count, long seed) {
        Random r = new Random(seed);
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (i % 7 == 6) {
                out.add(LeafBatchCodec.encodeSeal(0));
                continue;
            }
            int n = 1 + r.nextInt(700);
            List<byte[]> digests = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                byte[] d = new byte[32];
                r.nextBytes(d);
                digests.add(d);
            }
            out.add(LeafBatchCodec.encodeLeaves(digests));
        }
        return out;
    }
}
