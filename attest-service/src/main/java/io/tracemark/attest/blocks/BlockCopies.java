package io.tracemark.attest.blocks;

import io.opentelemetry.api.trace.SpanContext;
import io.tracemark.contracts.blocks.BlockMessage;
import io.tracemark.proofs.ledger.BlockHeader;
import io.tracemark.proofs.note.Note;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The copies of sealed blocks that every chain-node replica publishes, gathered per height until the
 * block's checkpoint carries every replica's signature or a bounded wait has passed, and released in
 * height order. Each replica signs the same checkpoint with its own key; merging the copies' notes is how a
 * receipt's checkpoint ends up cosigned. Not thread-safe: owned by one stage thread.
 */
public final class BlockCopies {
    private static final int ED25519_SIGNATURE_BYTES = 64;
    private static final Logger LOG = Logger.getLogger(BlockCopies.class);

    /**
     * A block ready to be anchored: the first copy's message, the merged checkpoint note, and how many
     * signatures it carries.
     *
     * @param firstOffset      blocks-topic offset of the first copy seen (where to resume if not yet done)
     * @param firstPublishedMillis Kafka timestamp of the first copy seen (when its replica published it), epoch ms
     * @param firstSeenNanos   when this stage read the first copy ({@link System#nanoTime()})
     * @param copies           copies gathered (one per replica that published the same block)
     * @param seals            the seal span context each copy carried in its W3C trace headers, for those that did
     */
    public record Gathered(BlockMessage message, BlockHeader header, String checkpoint, int signatures, long firstOffset,
                           long firstPublishedMillis, long firstSeenNanos, int copies, List<SpanContext> seals) {
        /** Copies the seal contexts. */
        public Gathered {
            seals = List.copyOf(seals);
        }

        /** This block with another (merged) checkpoint. */
        public Gathered withCheckpoint(String merged) {
            return new Gathered(message, header, merged, signatures, firstOffset, firstPublishedMillis, firstSeenNanos,
                    copies, seals);
        }
    }

    private final TreeMap<Long, Gathered> pending = new TreeMap<>();
    private long nextHeight;

    /** Starts gathering at {@code nextHeight} (lower heights are done), or at the first height seen if negative. */
    public BlockCopies(long nextHeight) {
        this.nextHeight = nextHeight;
    }

    /** The next height to release. */
    public long nextHeight() {
        return nextHeight;
    }

    /** Adds a copy that carries no trace context (as replicas republish after a restart); see the other {@code add}. */
    public void add(BlockMessage m, long offset, long publishedMillis, long nowNanos) {
        add(m, offset, publishedMillis, nowNanos, SpanContext.getInvalid());
    }

    /**
     * Adds one copy read at {@code offset}, published at {@code publishedMillis}, sealed in the span {@code seal} (invalid
     * if it carried none); copies of heights already released are ignored.
     */
    public void add(BlockMessage m, long offset, long publishedMillis, long nowNanos, SpanContext seal) {
        long height = m.header().height();
        if (nextHeight < 0) {
            nextHeight = height;
        }
        if (height < nextHeight) {
            return;
        }
        BlockHeader header = BlockBook.header(m.header());
        Gathered g = pending.get(height);
        List<SpanContext> seals = new ArrayList<>(g == null ? List.of() : g.seals());
        if (seal.isValid()) {
            seals.add(seal);
        }
        if (g == null) {
            pending.put(height, new Gathered(m, header, m.checkpoint(), signatures(m.checkpoint()), offset, publishedMillis,
                    nowNanos, 1, seals));
            return;
        }
        if (!Arrays.equals(g.header().encode(), header.encode())) {
            LOG.errorf("replica %s published block %d differing from the first copy (from %s); ignoring it", m.signer(),
                    height, g.message().signer());
            return;
        }
        String merged = BlockBook.merge(height, g.checkpoint(), m.checkpoint());
        pending.put(height, new Gathered(g.message(), g.header(), merged, signatures(merged), g.firstOffset(),
                g.firstPublishedMillis(), g.firstSeenNanos(), g.copies() + 1, seals));
    }

    /**
     * The next block in height order once it has {@code expected} signatures, or has waited {@code maxWaitNanos}
     * with no more signers alive than signed it, or has waited {@code lateWaitNanos} in any case; it is then
     * released (removed). A replica that is alive but behind (its copies come late under load) is waited for
     * up to the longer bound, so its signature is in the receipts; one that stopped is not.
     *
     * @param liveSigners replicas that published a block copy within the last {@code lateWaitNanos}
     */
    public Optional<Gathered> release(int expected, long maxWaitNanos, long lateWaitNanos, int liveSigners, long nowNanos) {
        Map.Entry<Long, Gathered> first = pending.firstEntry();
        if (first == null || first.getKey() != nextHeight) {
            return Optional.empty();
        }
        Gathered g = first.getValue();
        long waited = nowNanos - g.firstSeenNanos();
        boolean complete = g.signatures() >= expected;
        boolean someoneAliveMissing = liveSigners > g.signatures();
        if (!complete && (waited < maxWaitNanos || (someoneAliveMissing && waited < lateWaitNanos))) {
            return Optional.empty();
        }
        pending.pollFirstEntry();
        nextHeight++;
        return Optional.of(g);
    }

    /** The lowest blocks-topic offset still needed (the first copy of a block not released yet), if any. */
    public Optional<Long> lowestPendingOffset() {
        return pending.values().stream().map(Gathered::firstOffset).min(Long::compare);
    }

    /**
     * Replica signatures on a checkpoint note: C2SP signed-note Ed25519 signatures (64 bytes after the key ID).
     * Witness cosignatures ({@code cosignature/v1}: an 8-byte timestamp, then 64 bytes) are not replica
     * signatures: a replica that serves a checkpoint already witnessed publishes its copy with them, and counting
     * them released a block as fully signed with one replica's signature.
     */
    static int signatures(String note) {
        try {
            return (int) Note.parse(note.getBytes(StandardCharsets.UTF_8)).signatures().stream()
                    .filter(s -> s.signature().length == ED25519_SIGNATURE_BYTES).count();
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
