package io.tracemark.attest.blocks;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.tracemark.contracts.blocks.BlockMessage;
import io.tracemark.proofs.ledger.BlockHeader;
import io.tracemark.proofs.note.Ed25519NoteSigner;
import io.tracemark.proofs.note.Note;
import io.tracemark.proofs.note.Notes;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BlockCopiesTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final long MS = 1_000_000L;
    private final Ed25519NoteSigner one = Ed25519NoteSigner.fromSeed("tracemark.local/chain-node-1", seed(1));
    private final Ed25519NoteSigner two = Ed25519NoteSigner.fromSeed("tracemark.local/chain-node-2", seed(2));

    private static byte[] seed(int b) {
        byte[] s = new byte[32];
        Arrays.fill(s, (byte) b);
        return s;
    }

    private static BlockHeader header(long height) {
        byte[] root = new byte[32];
        root[0] = (byte) height;
        return new BlockHeader(height, new byte[32], height * 10, 10, height * 10 + 10, root, 1_700_000_000_000L + height);
    }

    private BlockMessage copy(long height, Ed25519NoteSigner signer) {
        BlockHeader h = header(height);
        String body = "tracemark.local/log\n" + h.treeSize() + "\n" + Base64.getEncoder().encodeToString(h.root()) + "\n";
        String note = new String(Notes.sign(body, signer), StandardCharsets.UTF_8);
        return new BlockMessage("tracemark.local/log", new BlockMessage.Header(h.height(), HEX.formatHex(h.previousHash()),
                h.firstLeafIndex(), h.leafCount(), h.treeSize(), HEX.formatHex(h.root()), h.timeMillis()),
                HEX.formatHex(h.hash()), 0, 0, List.of(), note, signer.name());
    }

    private static int signatures(String note) {
        return Note.parse(note.getBytes(StandardCharsets.UTF_8)).signatures().size();
    }

    @Test
    void holdsABlockUntilEveryReplicaSignedThenReleasesTheMergedCheckpoint() {
        BlockCopies copies = new BlockCopies(0);
        copies.add(copy(0, one), 5, 0, 0);
        assertTrue(copies.release(2, 2_000 * MS, 2_000 * MS, 1, 10 * MS).isEmpty(), "one signature of two, within the wait");
        copies.add(copy(0, two), 6, 0, 20 * MS);
        Optional<BlockCopies.Gathered> g = copies.release(2, 2_000 * MS, 2_000 * MS, 1, 30 * MS);
        assertTrue(g.isPresent());
        assertEquals(2, g.get().signatures());
        assertEquals(2, signatures(g.get().checkpoint()));
        assertEquals(5, g.get().firstOffset());
        assertEquals(1, copies.nextHeight());
    }

    @Test
    void aWitnessCosignatureOnACopyIsNotAReplicaSignature() {
        BlockMessage witnessed = copy(0, one);
        var witness = io.tracemark.proofs.cosignature.Ed25519CosignatureSigner.fromSeed("witness.local/w1", seed(9),
                () -> 1_700_000_000L);
        String note = new String(Notes.cosign(witnessed.checkpoint().getBytes(StandardCharsets.UTF_8), witness),
                StandardCharsets.UTF_8);
        BlockMessage copy = new BlockMessage(witnessed.origin(), witnessed.header(), witnessed.blockHash(), 0, 0, List.of(),
                note, witnessed.signer());
        assertEquals(2, signatures(note), "the note carries two signature lines");
        BlockCopies copies = new BlockCopies(0);
        copies.add(copy, 5, 0, 0);
        assertTrue(copies.release(2, 2_000 * MS, 2_000 * MS, 2, 10 * MS).isEmpty(),
                "one replica signature and one witness cosignature are one of two replica signatures");
        copies.add(copy(0, two), 6, 0, 20 * MS);
        Optional<BlockCopies.Gathered> g = copies.release(2, 2_000 * MS, 2_000 * MS, 2, 30 * MS);
        assertTrue(g.isPresent());
        assertEquals(2, g.get().signatures());
        assertEquals(3, signatures(g.get().checkpoint()), "both replicas and the witness");
    }

    @Test
    void copiesCosignedByOneWitnessAtDifferentSecondsStillMergeBothReplicaSignatures() {
        BlockCopies copies = new BlockCopies(0);
        copies.add(witnessedAt(copy(0, one), 1_700_000_000L), 5, 0, 0);
        copies.add(witnessedAt(copy(0, two), 1_700_000_004L), 6, 0, 10 * MS);
        Optional<BlockCopies.Gathered> g = copies.release(2, 2_000 * MS, 2_000 * MS, 2, 20 * MS);
        assertTrue(g.isPresent());
        assertEquals(2, g.get().signatures(), "each replica's copy carried the witness's cosignature of another second");
        assertEquals(3, signatures(g.get().checkpoint()), "both replicas and the witness's earlier cosignature");
    }

    /** The copy with its checkpoint cosigned by one witness at {@code seconds}. */
    private static BlockMessage witnessedAt(BlockMessage m, long seconds) {
        var witness = io.tracemark.proofs.cosignature.Ed25519CosignatureSigner.fromSeed("witness.local/w1", seed(9),
                () -> seconds);
        String note = new String(Notes.cosign(m.checkpoint().getBytes(StandardCharsets.UTF_8), witness), StandardCharsets.UTF_8);
        return new BlockMessage(m.origin(), m.header(), m.blockHash(), 0, 0, List.of(), note, m.signer());
    }

    @Test
    void releasesWithFewerSignaturesOnceTheWaitHasPassed() {
        BlockCopies copies = new BlockCopies(0);
        copies.add(copy(0, one), 0, 0, 0);
        Optional<BlockCopies.Gathered> g = copies.release(2, 2_000 * MS, 2_000 * MS, 1, 2_001 * MS);
        assertTrue(g.isPresent());
        assertEquals(1, g.get().signatures());
    }

    @Test
    void releasesInHeightOrderAndRemembersWhereToResume() {
        BlockCopies copies = new BlockCopies(0);
        copies.add(copy(1, one), 3, 0, 0);
        copies.add(copy(1, two), 4, 0, 0);
        assertTrue(copies.release(2, 0, 0, 1, 10 * MS).isEmpty(), "height 1 waits for height 0");
        assertEquals(Optional.of(3L), copies.lowestPendingOffset());
        copies.add(copy(0, two), 5, 0, 0);
        copies.add(copy(0, one), 6, 0, 0);
        assertEquals(0, copies.release(2, 0, 0, 1, 10 * MS).orElseThrow().header().height());
        assertEquals(1, copies.release(2, 0, 0, 1, 10 * MS).orElseThrow().header().height());
        assertTrue(copies.lowestPendingOffset().isEmpty());
    }

    @Test
    void ignoresCopiesOfHeightsAlreadyReleased() {
        BlockCopies copies = new BlockCopies(3);
        copies.add(copy(2, one), 0, 0, 0);
        assertTrue(copies.release(1, 0, 0, 1, 0).isEmpty());
        assertFalse(copies.lowestPendingOffset().isPresent());
    }

    @Test
    void startsAtTheFirstHeightSeenWhenNothingWasAnchoredYet() {
        BlockCopies copies = new BlockCopies(-1);
        copies.add(copy(7, one), 0, 0, 0);
        assertEquals(7, copies.release(1, 0, 0, 1, 0).orElseThrow().header().height());
    }

    @Test
    void waitsLongerForAReplicaThatIsAliveButBehind() {
        BlockCopies copies = new BlockCopies(0);
        copies.add(copy(0, one), 0, 0, 0);
        assertTrue(copies.release(2, 2_000 * MS, 20_000 * MS, 2, 2_500 * MS).isEmpty(),
                "past the short wait, but the second replica published recently: it is behind, not gone");
        copies.add(copy(0, two), 1, 0, 3_000 * MS);
        assertEquals(2, copies.release(2, 2_000 * MS, 20_000 * MS, 2, 3_000 * MS).orElseThrow().signatures());
    }

    @Test
    void stopsWaitingForALiveReplicaAtTheLongerBound() {
        BlockCopies copies = new BlockCopies(0);
        copies.add(copy(0, one), 0, 0, 0);
        assertEquals(1, copies.release(2, 2_000 * MS, 20_000 * MS, 2, 20_000 * MS).orElseThrow().signatures());
    }

    @Test
    void doesNotWaitLongerForAReplicaThatStoppedPublishing() {
        BlockCopies copies = new BlockCopies(0);
        copies.add(copy(0, one), 0, 0, 0);
        assertEquals(1, copies.release(2, 2_000 * MS, 20_000 * MS, 1, 2_000 * MS).orElseThrow().signatures());
    }

    @Test
    void aGatheredBlockKeepsTheSealSpanContextOfEachCopyThatCarriedOne() {
        SpanContext seal = SpanContext.createFromRemoteParent("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
                TraceFlags.getSampled(), TraceState.getDefault());
        BlockCopies copies = new BlockCopies(0);
        copies.add(copy(0, one), 5, 0, 0, seal);
        copies.add(copy(0, two), 6, 0, 0);
        BlockCopies.Gathered g = copies.release(2, 2_000 * MS, 2_000 * MS, 2, 0).orElseThrow();
        assertEquals(2, g.copies());
        assertEquals(List.of(seal), g.seals(), "a copy republished without trace headers adds no link");
        assertEquals(List.of(seal), g.withCheckpoint(g.checkpoint()).seals());
    }
}
