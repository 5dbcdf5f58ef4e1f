package io.tracemark.attest.ledger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tracemark.contracts.anchor.AnchorRequest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The in-memory handoff of record content from the ledger step to the receipts of its block. */
class PendingContentTest {
    private static final String DIGEST = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private static AnchorRequest request(String id, String canonical) {
        return new AnchorRequest(id, "acme", "product.batch", sha256(canonical), Instant.parse("2026-01-01T00:00:00Z"),
                List.of("09506000134352"), null).withContent(new AnchorRequest.Content("salt-" + id, canonical));
    }

    private static String sha256(String s) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void contentThatDoesNotHashToTheDigestIsNotHandedOver() {
        PendingContent p = new PendingContent(1 << 20, new SimpleMeterRegistry());
        AnchorRequest good = request("r1", "{\"a\":1}");
        // The same record sealed again with another salt: its text no longer hashes to the stored digest.
        AnchorRequest resealed = new AnchorRequest("r2", "acme", "product.batch", good.digest(), good.acceptedAt(),
                good.gtins(), null).withContent(new AnchorRequest.Content("other-salt", "{\"a\":2}"));
        p.offer(List.of(good, resealed));
        assertEquals(Map.of("r1", new PendingContent.Content("salt-r1", "{\"a\":1}", List.of("09506000134352"), null)),
                p.take(List.of("r1", "r2")));
    }

    @Test
    void contentIsHandedOverOnceWithItsGtins() {
        PendingContent p = new PendingContent(1 << 20, new SimpleMeterRegistry());
        p.offer(List.of(request("r1", "{\"a\":1}"), request("r2", "{\"a\":2}")));
        Map<String, PendingContent.Content> got = p.take(List.of("r1", "r3"));
        assertEquals(Map.of("r1", new PendingContent.Content("salt-r1", "{\"a\":1}", List.of("09506000134352"), null)), got);
        assertEquals(Map.of(), p.take(List.of("r1")), "taken content is not handed over twice");
        assertEquals(1, p.size());
    }

    @Test
    void requestsWithoutContentAreNotKept() {
        PendingContent p = new PendingContent(1 << 20, new SimpleMeterRegistry());
        p.offer(List.of(new AnchorRequest("r1", "acme", "product.batch", DIGEST, Instant.EPOCH, List.of(), null)));
        assertEquals(0, p.size());
    }

    @Test
    void oldestContentGoesFirstPastTheByteBound() {
        String text = "x".repeat(1000);
        PendingContent p = new PendingContent(10 * 1200, new SimpleMeterRegistry());
        p.offer(IntStream.range(0, 20).mapToObj(i -> request("r" + i, text)).toList());
        assertTrue(p.size() <= 10, "held " + p.size());
        assertEquals(Map.of(), p.take(List.of("r0")), "the oldest was evicted");
        assertEquals(1, p.take(List.of("r19")).size(), "the newest is kept");
    }

    @Test
    void takenEntriesFreeTheirBytesForNewOnes() {
        String text = "x".repeat(1000);
        PendingContent p = new PendingContent(3 * 1200, new SimpleMeterRegistry());
        for (int round = 0; round < 50; round++) {
            List<AnchorRequest> batch = List.of(request("a" + round, text), request("b" + round, text));
            p.offer(batch);
            assertEquals(2, p.take(List.of("a" + round, "b" + round)).size(), "round " + round);
        }
        assertEquals(0, p.size());
    }

    @Test
    void aZeroBoundTurnsTheHandoffOff() {
        PendingContent p = new PendingContent(0, new SimpleMeterRegistry());
        p.offer(List.of(request("r1", "{}")));
        assertEquals(0, p.size());
    }
}
