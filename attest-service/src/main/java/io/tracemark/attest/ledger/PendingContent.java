package io.tracemark.attest.ledger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tracemark.contracts.anchor.AnchorRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * What the receipts of records sent to the ledger will need of them (salt, canonical text, GTINs), handed from
 * the ledger step to the anchoring step in memory, so that a block's receipts are built without reading its
 * records back from the store. Bounded by {@code tracemark.attest.receipt.content-cache-bytes}: past it the
 * oldest entries go, and their records are read from the store instead, as after a restart or when another
 * instance sent them. Nothing here is durable or needed for correctness.
 */
@ApplicationScoped
public class PendingContent {
    /** Per entry beyond the text: map node, strings' headers, the id. */
    private static final int OVERHEAD = 160;

    /**
     * A record's content as sent.
     *
     * @param salt      the salt
     * @param canonical the canonical envelope text
     * @param gtins     GTIN-14s the record names
     * @param work      for a media work, its file's SHA-256 (the events' work filter), else {@code null}
     */
    public record Content(String salt, String canonical, List<String> gtins, String work) {
    }

    private final long maxBytes;
    private final Map<String, Content> byId = new HashMap<>();
    /** Ids in the order they came, for eviction; ids already taken are skipped when they reach the head. */
    private final ArrayDeque<String> order = new ArrayDeque<>();
    private long bytes;
    private long evicted;
    private long mismatched;

    @Inject
    public PendingContent(@ConfigProperty(name = "tracemark.attest.receipt.content-cache-bytes", defaultValue = "33554432") long maxBytes,
                          MeterRegistry meters) {
        this.maxBytes = maxBytes;
        Gauge.builder("tracemark.attest.pending.content", this, PendingContent::size).baseUnit("records")
                .description("records sent to the ledger whose content waits in memory for their receipts").register(meters);
        Gauge.builder("tracemark.attest.pending.content.evicted", this, p -> p.evictedCount()).baseUnit("records")
                .description("records whose content left the cache before their receipts (read from the store instead)")
                .register(meters);
        Gauge.builder("tracemark.attest.pending.content.mismatched", this, p -> p.mismatchedCount()).baseUnit("records")
                .description("anchor requests whose content does not hash to their digest (ignored; read from the store)")
                .register(meters);
    }

    /** Keeps the content of the requests that carry it. */
    public synchronized void offer(Collection<AnchorRequest> sent) {
        if (maxBytes <= 0) {
            return;
        }
        for (AnchorRequest r : sent) {
            AnchorRequest.Content c = r.content();
            if (c == null || byId.containsKey(r.recordId())) {
                continue;
            }
            if (!hashesTo(c.canonical(), r.digest())) {
                // Never trusted over the store: a receipt whose text does not hash to its digest is unverifiable.
                mismatched++;
                continue;
            }
            byId.put(r.recordId(), new Content(c.salt(), c.canonical(), r.gtins(),
                    r.work() == null ? null : r.work().sha256()));
            order.add(r.recordId());
            bytes += sizeOf(r.recordId(), c.salt(), c.canonical());
        }
        while (bytes > maxBytes && !order.isEmpty()) {
            if (remove(order.poll()) != null) {
                evicted++;
            }
        }
        while (!order.isEmpty() && !byId.containsKey(order.peek())) {
            order.poll();
        }
    }

    /** Removes and returns the content of those of {@code ids} still held. */
    public synchronized Map<String, Content> take(Collection<String> ids) {
        Map<String, Content> out = new HashMap<>();
        for (String id : ids) {
            Content c = remove(id);
            if (c != null) {
                out.put(id, c);
            }
        }
        return out;
    }

    /** Records held now. */
    public synchronized int size() {
        return byId.size();
    }

    private synchronized long evictedCount() {
        return evicted;
    }

    private synchronized long mismatchedCount() {
        return mismatched;
    }

    /** Whether SHA-256 of the canonical text's UTF-8 bytes is {@code digestHex} (the RFC 9162 leaf data). */
    private static boolean hashesTo(String canonical, String digestHex) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha).equals(digestHex);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Content remove(String id) {
        Content c = byId.remove(id);
        if (c != null) {
            bytes -= sizeOf(id, c.salt(), c.canonical());
        }
        return c;
    }

    private static long sizeOf(String id, String salt, String canonical) {
        return OVERHEAD + id.length() + salt.length() + canonical.length();
    }
}
