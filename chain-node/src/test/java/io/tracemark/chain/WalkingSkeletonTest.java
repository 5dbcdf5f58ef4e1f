package io.tracemark.chain;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tracemark.chain.config.TopicsConfig;
import io.tracemark.proofs.checkpoint.Checkpoint;
import io.tracemark.proofs.checkpoint.SignedCheckpoints;
import io.tracemark.proofs.note.NoteVerifier;
import io.tracemark.proofs.note.VerifierSet;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.tlogproof.TlogProofVerifier;
import io.tracemark.proofs.tlogproof.VerifiedTlogProof;
import java.util.HexFormat;
import io.tracemark.proofs.merkle.Rfc9162Hasher;
import io.tracemark.proofs.merkle.Rfc9162Verifier;
import io.tracemark.contracts.blocks.BlockMessage;
import io.tracemark.contracts.blocks.BlockMessageCodec;
import io.tracemark.testsupport.KafkaTestClient;
import io.tracemark.testsupport.SharedInfra;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

@QuarkusTest
@QuarkusTestResource(value = ChainTestInfra.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WalkingSkeletonTest {
    @Inject
    TopicsConfig topics;

    @Test
    @Order(1)
    void leavesProducedToKafkaBecomeASignedCheckpointWithVerifiableInclusionProofs() {
        List<byte[]> digests;
        try (LeafProducer producer = new LeafProducer(SharedInfra.kafkaBootstrap(), topics.chainLeaves())) {
            for (int i = 0; i < 5; i++) {
                producer.sendBatch(600 + i);
            }
            digests = producer.digests();
        }
        int total = digests.size();
        await().atMost(Duration.ofSeconds(30)).until(() -> ChainNodeApi.checkpoint().size() == total);

        NoteVerifier own = ChainNodeApi.verifierKeys().verifiers().get(0);
        Checkpoint cp = SignedCheckpoints.verify(ChainNodeApi.checkpointNoteBytes(), ChainNodeApi.ORIGIN,
                VerifierSet.of(own), 1).checkpoint();
        assertEquals(total, cp.size());

        Random random = new Random(42);
        for (int k = 0; k < 40; k++) {
            int index = k == 0 ? 0 : k == 1 ? total - 1 : random.nextInt(total);
            JsonPath proof = ChainNodeApi.inclusion(index, total);
            byte[] leafHash = Base64.getDecoder().decode(proof.getString("leafHash"));
            assertArrayEquals(Rfc9162Hasher.leafHash(digests.get(index)), leafHash, "leaf " + index);
            Rfc9162Verifier.verifyInclusion(index, total, leafHash, ChainNodeApi.hashes(proof), cp.rootHash());
        }
    }

    @Test
    @Order(2)
    void tlogProofFilesVerifyOfflineAgainstTheSignedCheckpoint() {
        List<byte[]> digests;
        try (LeafProducer producer = new LeafProducer(SharedInfra.kafkaBootstrap(), topics.chainLeaves())) {
            digests = producer.sendBatch(300);
        }
        byte[] digest = digests.get(123);
        await().atMost(Duration.ofSeconds(30)).until(() -> given().queryParam("hash", HexFormat.of().formatHex(digest))
                .get("/v1/leaves").statusCode() == 200);
        long index = given().queryParam("hash", HexFormat.of().formatHex(digest)).get("/v1/leaves").then()
                .extract().jsonPath().getLong("index");
        VerifierSet keys = ChainNodeApi.verifierKeys();

        byte[] file = given().queryParam("index", index).get("/v1/proofs/tlog-proof").then().statusCode(200)
                .contentType(startsWith("text/plain")).extract().asByteArray();
        VerifiedTlogProof verified = TlogProofVerifier.verifyLeafData(file, digest, ChainNodeApi.ORIGIN, keys, 1);
        assertEquals(index, verified.index());
        assertTrue(verified.checkpoint().checkpoint().size() > index);
        ProofException wrongLeaf = assertThrows(ProofException.class,
                () -> TlogProofVerifier.verifyLeafData(file, digests.get(124), ChainNodeApi.ORIGIN, keys, 1));
        assertEquals("inclusion.root.mismatch", wrongLeaf.code());

        long firstBlockSize = given().get("/v1/blocks/0").then().statusCode(200).extract().jsonPath()
                .getLong("header.treeSize");
        byte[] old = given().queryParam("index", 0).queryParam("size", firstBlockSize).get("/v1/proofs/tlog-proof")
                .then().statusCode(200).extract().asByteArray();
        assertEquals(firstBlockSize, TlogProofVerifier.verifyLeafHash(io.tracemark.proofs.tlogproof.TlogProof.parse(old),
                Base64.getDecoder().decode(ChainNodeApi.inclusion(0, firstBlockSize).getString("leafHash")),
                ChainNodeApi.ORIGIN, keys, 1).checkpoint().checkpoint().size());

        for (long notServed : new long[] {firstBlockSize + 1, ChainNodeApi.checkpoint().size() + 1}) {
            given().queryParam("index", 0).queryParam("size", notServed).get("/v1/proofs/tlog-proof").then()
                    .statusCode(404).contentType("application/problem+json")
                    .body("type", equalTo("https://tracemark.dev/problems/checkpoint-not-found"));
        }
        given().queryParam("index", 0).queryParam("size", ChainNodeApi.checkpoint().size() + 1).get("/v1/proofs/tlog-proof")
                .then().body("retriable", equalTo(true));
        given().queryParam("index", firstBlockSize).queryParam("size", firstBlockSize).get("/v1/proofs/tlog-proof")
                .then().statusCode(422).body("type", equalTo("https://tracemark.dev/problems/index-out-of-range"))
                .body("retriable", equalTo(false));
    }

    @Test
    @Order(3)
    void metricsExposeLedgerProgressInPrometheusFormat() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            long size = ChainNodeApi.checkpoint().size();
            assertEquals(size, (long) Metrics.value("tracemark_chain_tree_size"));
            assertEquals(size, (long) Metrics.value("tracemark_chain_leaves_applied_total"));
            assertTrue(Metrics.value("tracemark_chain_timestamps_issued_total") >= 1);
            assertTrue(Metrics.value("tracemark_chain_apply_lag_records") >= 0);
        });
        long blocks = given().get("/v1/blocks/latest").then().extract().jsonPath().getLong("header.height") + 1;
        assertEquals(blocks, (long) Metrics.value("tracemark_chain_blocks_sealed_total"));
        assertEquals(0, Metrics.value("tracemark_chain_timestamps_dropped_total"));
        assertEquals(0, Metrics.value("tracemark_chain_cosignatures_merged_total"));
        double age = Metrics.value("tracemark_chain_checkpoint_age_seconds");
        assertTrue(age >= 0 && age < 600, "checkpoint age " + age);
    }

    @Test
    @Order(4)
    void republishedDigestsAreSkippedPublishedAsSkippedAndFoundInTheirFirstBlock() throws Exception {
        long before = ChainNodeApi.checkpoint().size();
        List<byte[]> first;
        byte[] fresh = new byte[32];
        new Random(4711).nextBytes(fresh);
        try (LeafProducer producer = new LeafProducer(SharedInfra.kafkaBootstrap(), topics.chainLeaves())) {
            first = producer.sendBatch(3);
            await().atMost(Duration.ofSeconds(30)).until(() -> ChainNodeApi.checkpoint().size() == before + 3);
            // A republished batch: two digests already in the tree, one new, one repeated inside the record.
            producer.sendAsync(List.of(first.get(1), fresh, fresh, first.get(0)));
            producer.flush();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> given().queryParam("hash", HexFormat.of().formatHex(fresh))
                .get("/v1/leaves").statusCode() == 200);
        assertEquals(before + 4, ChainNodeApi.checkpoint().size(), "only the new digest became a leaf");

        JsonPath original = given().queryParam("hash", HexFormat.of().formatHex(first.get(1))).get("/v1/leaves")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(before + 1, original.getLong("index"));
        JsonPath added = given().queryParam("hash", HexFormat.of().formatHex(fresh)).get("/v1/leaves")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(before + 3, added.getLong("index"));
        long height = added.getLong("blockHeight");
        assertTrue(original.getLong("blockHeight") < height, "the first copy was sealed in an earlier block");

        JsonPath block = given().get("/v1/blocks/" + height).then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> batches = block.getList("batches");
        Map<String, Object> republished = batches.get(batches.size() - 1);
        assertEquals(List.of(0, 2, 3), republished.get("skipped"));
        assertEquals(1, republished.get("count"));
        assertEquals(before + 3, ((Number) republished.get("firstLeafIndex")).longValue());
        Map<String, Object> earlier = given().get("/v1/blocks/" + original.getLong("blockHeight")).then()
                .extract().jsonPath().getMap("batches[0]");
        assertTrue(!earlier.containsKey("skipped"), "no skipped field on a batch without skips: " + earlier);

        try (KafkaTestClient kafka = new KafkaTestClient(SharedInfra.kafkaBootstrap())) {
            BlockMessage published = kafka.consume(topics.chainBlocks(), (int) height + 1, Duration.ofSeconds(20)).stream()
                    .map(r -> BlockMessageCodec.decode(r.value())).filter(m -> m.header().height() == height)
                    .findFirst().orElseThrow();
            BlockMessage.Batch batch = published.batches().get(published.batches().size() - 1);
            assertEquals(List.of(0, 2, 3), batch.skipped());
            assertEquals(java.util.OptionalLong.of(before + 3), batch.leafIndexOf(1));
        }
    }

    @Test
    void sealedCheckpointsGetRfc3161TokensThatOpensslAccepts() throws Exception {
        try (LeafProducer producer = new LeafProducer(SharedInfra.kafkaBootstrap(), topics.chainLeaves())) {
            producer.sendBatch(10);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> ChainNodeApi.checkpoint().size() > 0);
        String body = ChainNodeApi.checkpointNote().text();
        long size = Checkpoint.parse(body).size();
        await().atMost(Duration.ofSeconds(20)).until(() -> given().get("/v1/timestamps/" + size).statusCode() == 200);
        byte[] reply = given().get("/v1/timestamps/" + size).then().statusCode(200)
                .contentType("application/timestamp-reply").extract().asByteArray();
        String pem = given().get("/v1/keys").then().extract().jsonPath().getString("tsaCertificate");

        var resp = new org.bouncycastle.tsp.TimeStampResponse(reply);
        assertArrayEquals(io.tracemark.chain.timestamp.Timestamper.imprint(body),
                resp.getTimeStampToken().getTimeStampInfo().getMessageImprintDigest());

        java.nio.file.Path openssl = java.nio.file.Path.of("/usr/bin/openssl");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(openssl), "openssl not installed");
        java.nio.file.Path dir = ChainTestInfra.tempDir("tsa-verify-");
        java.nio.file.Files.write(dir.resolve("token.tsr"), reply);
        java.nio.file.Files.writeString(dir.resolve("tsa.pem"), pem);
        String digest = java.util.HexFormat.of().formatHex(io.tracemark.chain.timestamp.Timestamper.imprint(body));
        Process p = new ProcessBuilder(openssl.toString(), "ts", "-verify", "-digest", digest, "-in",
                dir.resolve("token.tsr").toString(), "-CAfile", dir.resolve("tsa.pem").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("Verification: OK"), out);

        String wrong = digest.substring(1) + (digest.charAt(0) == '0' ? "1" : "0");
        Process bad = new ProcessBuilder(openssl.toString(), "ts", "-verify", "-digest", wrong, "-in",
                dir.resolve("token.tsr").toString(), "-CAfile", dir.resolve("tsa.pem").toString())
                .redirectErrorStream(true).start();
        bad.getInputStream().readAllBytes();
        assertTrue(bad.waitFor() != 0, "a different digest must not verify");
    }

    @Test
    void proofsBeyondTheCheckpointAreProblems() {
        given().queryParam("index", 5).queryParam("size", Long.MAX_VALUE / 2).get("/v1/proofs/inclusion")
                .then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("https://tracemark.dev/problems/size-out-of-range"))
                .body("retriable", equalTo(true));
        given().queryParam("index", "-1").queryParam("size", 1).get("/v1/proofs/inclusion")
                .then().statusCode(400).body("type", equalTo("https://tracemark.dev/problems/invalid-parameter"))
                .body("retriable", equalTo(false))
                .body("errors[0].pointer", equalTo("/query/index"))
                .body("errors[0].code", equalTo("integer.invalid"));
    }

    @Test
    void healthIsUpOnceCaughtUp() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                given().get("/q/health/ready").then().statusCode(200));
        given().get("/q/health/live").then().statusCode(200);
    }
}
