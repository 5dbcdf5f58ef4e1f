package io.tracemark.chain;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tracemark.chain.config.TopicsConfig;
import io.tracemark.contracts.ledger.LeafPosition;
import io.tracemark.contracts.ledger.LeafPositionCodec;
import io.tracemark.proofs.absence.AbsenceAudit;
import io.tracemark.proofs.absence.AbsenceStatement;
import io.tracemark.proofs.checkpoint.Checkpoint;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.checkpoint.SignedCheckpoints;
import io.tracemark.proofs.note.Note;
import io.tracemark.proofs.tiles.EntryBundle;
import io.tracemark.proofs.tiles.TileHashReader;
import io.tracemark.proofs.tiles.TilePath;
import io.tracemark.proofs.tiles.Tiles;
import io.tracemark.proofs.merkle.InMemoryHashStore;
import io.tracemark.proofs.merkle.Rfc9162Hasher;
import io.tracemark.proofs.merkle.Rfc9162Verifier;
import io.tracemark.proofs.merkle.StoredHashes;
import io.tracemark.proofs.merkle.Tlog;
import io.tracemark.testsupport.KafkaTestClient;
import io.tracemark.testsupport.SharedInfra;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@QuarkusTest
@QuarkusTestResource(value = ChainTestInfra.class, restrictToAnnotatedClass = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadPathTest {
    private static final int LEAVES = 70_000;
    private static final HexFormat HEX = HexFormat.of();

    @Inject
    TopicsConfig topics;

    private List<byte[]> digests;
    private final InMemoryHashStore ref = new InMemoryHashStore();

    // RestAssured points at the application only once a test method runs, so set-up happens there.
    @BeforeEach
    void produceOnce() {
        if (digests != null) {
            return;
        }
        try (LeafProducer producer = new LeafProducer(SharedInfra.kafkaBootstrap(), topics.chainLeaves())) {
            for (int sent = 0; sent < LEAVES; sent += 10_000) {
                producer.sendBatch(10_000);
            }
            digests = producer.digests();
        }
        digests.forEach(ref::appendData);
        await().atMost(Duration.ofSeconds(60)).until(() -> ChainNodeApi.checkpoint().size() == LEAVES);
    }

    private byte[] hashesOf(int level, long first, int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < n; i++) {
            out.writeBytes(ref.readHashes(new long[] {StoredHashes.storedHashIndex(level, first + i)})[0]);
        }
        return out.toByteArray();
    }

    private static byte[] tile(String path, int status, String cache) {
        var r = given().get("/tile/" + path).then().statusCode(status);
        if (cache != null) {
            r.header("Cache-Control", cache);
        }
        return r.extract().asByteArray();
    }

    @Test
    void tilesHoldTheTreeHashesInTlogTilesLayout() {
        String immutable = "public, max-age=31536000, immutable";
        assertArrayEquals(hashesOf(0, 0, 256), tile("0/000", 200, immutable));
        assertArrayEquals(hashesOf(0, 256 * 272, 256), tile("0/272", 200, immutable));
        assertArrayEquals(hashesOf(0, 256 * 273, LEAVES % 256), tile("0/273.p/" + (LEAVES % 256), 200, "public, max-age=1"));
        assertArrayEquals(hashesOf(8, 0, 256), tile("1/000", 200, immutable));
        assertArrayEquals(hashesOf(8, 256, 17), tile("1/001.p/17", 200, null));
        assertArrayEquals(hashesOf(16, 0, 1), tile("2/000.p/1", 200, null));
        tile("0/273", 404, null);
        tile("2/000", 404, null);
    }

    @Test
    void servedCheckpointVerifiesAndTilesReadBackAgainstItsRoot() {
        Checkpoint cp = SignedCheckpoints.verify(ChainNodeApi.checkpointNoteBytes(), ChainNodeApi.ORIGIN,
                ChainNodeApi.verifierKeys(), 1).checkpoint();
        assertEquals(LEAVES, cp.size());
        TileHashReader tiles = new TileHashReader(cp.size(), cp.rootHash(), t -> tile(t.format().substring(5), 200, null));
        java.util.Random r = new java.util.Random(3);
        for (int k = 0; k < 50; k++) {
            long index = r.nextInt(LEAVES);
            long[] node = {StoredHashes.storedHashIndex(0, index)};
            assertArrayEquals(ref.readHashes(node)[0], tiles.readHashes(node)[0], "leaf " + index);
            Rfc9162Verifier.verifyInclusion(index, LEAVES, ref.readHashes(node)[0],
                    Tlog.proveRecord(LEAVES, index, tiles), cp.rootHash());
        }
        for (long bundle : new long[] {0, 100, LEAVES / 256}) {
            TilePath level0 = Tiles.tileForStoredHash(StoredHashes.storedHashIndex(0, bundle * 256), LEAVES);
            TilePath entries = level0.toEntryBundle();
            var decoded = EntryBundle.decode(tile(entries.format().substring(5), 200, null), entries.width());
            EntryBundle.verifyAgainstTile(decoded, tiles.tileData(level0));
            assertArrayEquals(digests.get((int) bundle * 256), decoded.get(0));
        }
        TileHashReader forged = new TileHashReader(cp.size(), Rfc9162Hasher.leafHash(cp.rootHash()),
                t -> tile(t.format().substring(5), 200, null));
        ProofException e = org.junit.jupiter.api.Assertions.assertThrows(ProofException.class,
                () -> forged.readHashes(new long[] {0}));
        assertEquals("tile.hash.mismatch", e.code());
    }

    @Test
    void entryBundlesHoldLengthPrefixedDigests() {
        byte[] bundle = tile("entries/273.p/" + (LEAVES % 256), 200, null);
        assertEquals((LEAVES % 256) * 34, bundle.length);
        for (int i = 0; i < LEAVES % 256; i++) {
            assertEquals(0, bundle[i * 34]);
            assertEquals(32, bundle[i * 34 + 1]);
            byte[] d = java.util.Arrays.copyOfRange(bundle, i * 34 + 2, i * 34 + 34);
            assertArrayEquals(digests.get(256 * 273 + i), d);
        }
        assertEquals(256 * 34, tile("entries/000", 200, "public, max-age=31536000, immutable").length);
    }

    @Test
    void witnessEvidenceOfALogWithoutWitnessesSaysTheLogHasNone() {
        given().queryParam("from", 1).get("/v1/checkpoints/witnessed").then().statusCode(404)
                .body("type", equalTo("https://tracemark.dev/problems/witnesses-not-configured"));
    }

    @Test
    void malformedOrTraversingTilePathsAreRejected() {
        for (String bad : List.of("../state.bin", "0/..%2F..%2Fstate.bin", "0/000.p/999", "entries/x000/001", "9/000")) {
            int status = given().urlEncodingEnabled(false).get("/tile/" + bad).statusCode();
            assertTrue(status == 400 || status == 404, bad + " gave " + status);
        }
    }

    @Test
    void consistencyProofsLinkEveryBlockToTheLatestCheckpoint() {
        Checkpoint latest = ChainNodeApi.checkpoint();
        assertArrayEquals(ref.root(), latest.rootHash());
        long height = given().get("/v1/blocks/latest").then().statusCode(200).extract().jsonPath().getLong("header.height");
        for (long h = 0; h <= height; h++) {
            JsonPath block = given().get("/v1/blocks/" + h).then().statusCode(200).extract().jsonPath();
            long size = block.getLong("header.treeSize");
            byte[] root = HEX.parseHex(block.getString("header.root"));
            JsonPath proof = given().queryParam("from", size).queryParam("to", LEAVES).get("/v1/proofs/consistency")
                    .then().statusCode(200).extract().jsonPath();
            Rfc9162Verifier.verifyConsistency(size, LEAVES, root, latest.rootHash(), ChainNodeApi.hashes(proof));
        }
    }

    @Test
    void blocksFormAHashChainCoveringEveryBatchOnce() {
        long height = given().get("/v1/blocks/latest").then().extract().jsonPath().getLong("header.height");
        String previous = HEX.formatHex(new byte[32]);
        long leaves = 0;
        for (long h = 0; h <= height; h++) {
            JsonPath b = given().get("/v1/blocks/" + h).then().statusCode(200).extract().jsonPath();
            assertEquals(previous, b.getString("header.previousHash"));
            assertEquals(leaves, b.getLong("header.firstLeafIndex"));
            long first = leaves;
            for (int i = 0; i < b.getList("batches").size(); i++) {
                assertEquals(first, b.getLong("batches[" + i + "].firstLeafIndex"));
                first += b.getLong("batches[" + i + "].count");
            }
            leaves += b.getLong("header.leafCount");
            assertEquals(leaves, first);
            previous = b.getString("blockHash");
        }
        assertEquals(LEAVES, leaves);
        given().get("/v1/blocks/" + (height + 1)).then().statusCode(404)
                .body("type", equalTo("https://tracemark.dev/problems/block-not-found"));
    }

    @Test
    void everyBlockIsPublishedToTheBlocksTopicWithItsSignedCheckpoint() throws Exception {
        long height = given().get("/v1/blocks/latest").then().extract().jsonPath().getLong("header.height");
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> published = new ArrayList<>();
        try (KafkaTestClient kafka = new KafkaTestClient(SharedInfra.kafkaBootstrap())) {
            for (var r : kafka.consume(topics.chainBlocks(), (int) height + 1, Duration.ofSeconds(20))) {
                JsonNode n = json.readTree(r.value());
                assertEquals(n.at("/header/height").asText(), r.key());
                published.add(n);
            }
        }
        JsonNode last = published.get((int) height);
        for (String field : List.of("origin", "header", "blockHash", "leavesFromOffset", "leavesToOffset", "batches",
                "checkpoint", "signer")) {
            assertTrue(last.has(field), field);
        }
        Checkpoint cp = Checkpoint.parse(Note.parse(last.get("checkpoint").asText().getBytes(java.nio.charset.StandardCharsets.UTF_8)).text());
        assertEquals(LEAVES, cp.size());
        assertEquals(last.at("/header/root").asText(), HEX.formatHex(cp.rootHash()));
    }

    @Test
    void leavesAreFoundByDigestOrLeafHashWithTheBlockThatHoldsThem() {
        for (int i : new int[] {0, 1, 255, 256, 65_535, 65_536, LEAVES - 1}) {
            JsonPath found = given().queryParam("hash", HEX.formatHex(digests.get(i))).get("/v1/leaves").then()
                    .statusCode(200).body("index", equalTo(i)).extract().jsonPath();
            long height = found.getLong("blockHeight");
            JsonPath block = given().get("/v1/blocks/" + height).then().statusCode(200).extract().jsonPath();
            long first = block.getLong("header.firstLeafIndex");
            assertTrue(first <= i && i < block.getLong("header.treeSize"), "leaf " + i + " in block " + height);
            byte[] byLeafHash = given().queryParam("hash", HEX.formatHex(Rfc9162Hasher.leafHash(digests.get(i))))
                    .get("/v1/leaves").then().statusCode(200).extract().asByteArray();
            // Exactly what ingest and verify parse.
            assertEquals(new LeafPosition(i, height), LeafPositionCodec.decode(byLeafHash));
        }
        given().queryParam("hash", HEX.formatHex(new byte[32])).get("/v1/leaves").then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("https://tracemark.dev/problems/not-present"));
        given().queryParam("hash", "zz").get("/v1/leaves").then().statusCode(400);
    }

    @Test
    void anUnknownHashIsAnsweredWithASignedAbsenceStatementThatTheTilesConfirm() {
        byte[] unknown = Rfc9162Hasher.leafHash("never appended".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Checkpoint cp = SignedCheckpoints.verify(ChainNodeApi.checkpointNoteBytes(), ChainNodeApi.ORIGIN,
                ChainNodeApi.verifierKeys(), 1).checkpoint();
        JsonPath answer = given().queryParam("hash", HEX.formatHex(unknown)).get("/v1/leaves").then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("https://tracemark.dev/problems/not-present"))
                .body("retriable", equalTo(true))
                .body("treeSize", equalTo(LEAVES))
                .body("root", equalTo(java.util.Base64.getEncoder().encodeToString(cp.rootHash())))
                .extract().jsonPath();
        byte[] note = answer.getString("absence").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        AbsenceStatement statement = AbsenceStatement.verify(note, ChainNodeApi.ORIGIN, ChainNodeApi.verifierKeys(), 1, unknown);
        assertEquals(LEAVES, statement.treeSize());
        assertArrayEquals(cp.rootHash(), statement.root());
        assertEquals(AbsenceAudit.Outcome.CONFIRMED, AbsenceAudit.audit(statement, this::servedTile).outcome());
        // Asked about one hash, the statement proves nothing about another.
        ProofException other = org.junit.jupiter.api.Assertions.assertThrows(ProofException.class, () ->
                AbsenceStatement.verify(note, ChainNodeApi.ORIGIN, ChainNodeApi.verifierKeys(), 1, digests.get(0)));
        assertEquals("absence.hash.mismatch", other.code());
    }

    @Test
    void aFalseAbsenceStatementIsContradictedByThePublishedTiles() {
        Checkpoint cp = SignedCheckpoints.verify(ChainNodeApi.checkpointNoteBytes(), ChainNodeApi.ORIGIN,
                ChainNodeApi.verifierKeys(), 1).checkpoint();
        // What a lying replica would sign: leaf 12,345 "is not there".
        AbsenceStatement lie = new AbsenceStatement(ChainNodeApi.ORIGIN, LEAVES, cp.rootHash(), digests.get(12_345));
        AbsenceAudit.Result audit = AbsenceAudit.audit(lie, this::servedTile);
        assertEquals(AbsenceAudit.Outcome.CONTRADICTED, audit.outcome());
        assertEquals(12_345, audit.leafIndex());
        AbsenceStatement byLeafHash = new AbsenceStatement(ChainNodeApi.ORIGIN, LEAVES, cp.rootHash(),
                Rfc9162Hasher.leafHash(digests.get(7)));
        assertEquals(7, AbsenceAudit.audit(byLeafHash, this::servedTile).leafIndex());
        AbsenceStatement otherTree = new AbsenceStatement(ChainNodeApi.ORIGIN, LEAVES, new byte[32], new byte[32]);
        assertEquals(AbsenceAudit.Outcome.ROOT_MISMATCH, AbsenceAudit.audit(otherTree, this::servedTile).outcome());
    }

    private byte[] servedTile(TilePath t) {
        return tile(t.format().substring(5), 200, null);
    }
}
