package io.tracemark.chain;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tracemark.chain.checkpoint.Checkpoint;
import io.tracemark.chain.checkpoint.NoteVerifier;
import io.tracemark.chain.checkpoint.SignedNote;
import io.tracemark.chain.config.TopicsConfig;
import io.tracemark.proofs.merkle.Rfc9162Hasher;
import io.tracemark.proofs.merkle.Rfc9162Verifier;
import io.tracemark.testsupport.SharedInfra;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
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

        SignedNote note = ChainNodeApi.checkpointNote();
        NoteVerifier own = ChainNodeApi.verifierKeys().get(0);
        assertTrue(note.isSignedBy(own), "checkpoint carries the node's signature");
        Checkpoint cp = Checkpoint.parse(note.text());
        assertEquals("tracemark.local/log", cp.origin());

        Random random = new Random(42);
        for (int k = 0; k < 40; k++) {
            int index = k == 0 ? 0 : k == 1 ? total - 1 : random.nextInt(total);
            JsonPath proof = ChainNodeApi.inclusion(index, total);
            byte[] leafHash = Base64.getDecoder().decode(proof.getString("leafHash"));
            assertArrayEquals(Rfc9162Hasher.leafHash(digests.get(index)), leafHash, "leaf " + index);
            Rfc9162Verifier.verifyInclusion(index, total, leafHash, ChainNodeApi.hashes(proof), cp.root());
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
                .body("type", equalTo("https://tracemark.dev/problems/size-out-of-range"));
        given().queryParam("index", "-1").queryParam("size", 1).get("/v1/proofs/inclusion")
                .then().statusCode(400).body("type", equalTo("https://tracemark.dev/problems/invalid-parameter"));
    }

    @Test
    void healthIsUpOnceCaughtUp() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                given().get("/q/health/ready").then().statusCode(200));
        given().get("/q/health/live").then().statusCode(200);
    }
}
