package io.tracemark.chain;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.restassured.path.json.JsonPath;
import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.chain.witness.StandaloneWitness;
import io.tracemark.chain.witness.Witness;
import io.tracemark.proofs.ProofErrorCode;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.checkpoint.Checkpoint;
import io.tracemark.proofs.checkpoint.SignedCheckpoints;
import io.tracemark.proofs.cosignature.WitnessPolicy;
import io.tracemark.proofs.cosignature.WitnessedCheckpoint;
import io.tracemark.proofs.cosignature.WitnessedCheckpoints;
import io.tracemark.proofs.note.VerifierSet;
import io.tracemark.proofs.witness.AddCheckpointRequest;
import io.tracemark.testsupport.SharedInfra;
import jakarta.inject.Inject;
import io.tracemark.proofs.merkle.Rfc9162Hasher;
import io.tracemark.proofs.merkle.Rfc9162Verifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The node submits every checkpoint to two witnesses (its own embedded one and a standalone process)
 * and serves their cosignatures; a witness that is down delays nothing; a witness holding a fork
 * refuses, and the node counts the split view.
 */
@QuarkusTest
@QuarkusTestResource(value = WitnessedChainInfra.class, restrictToAnnotatedClass = true)
class WitnessingTest {
    @Inject
    ChainNode node;

    @Test
    void servedCheckpointsCarryBothWitnessesAndSurviveOneBeingDownAndRefuseAFork() throws Exception {
        WitnessPolicy both = WitnessPolicy.of(List.of(WitnessedChainInfra.embeddedKey.verifier(),
                WitnessedChainInfra.standaloneKey.verifier()), 2);
        WitnessPolicy standaloneOnly = WitnessPolicy.of(List.of(WitnessedChainInfra.standaloneKey.verifier()), 1);
        WitnessPolicy embeddedOnly = WitnessPolicy.of(List.of(WitnessedChainInfra.embeddedKey.verifier()), 1);
        try (LeafProducer producer = new LeafProducer(SharedInfra.kafkaBootstrap(), node.settings().leavesTopic())) {
            producer.sendBatch(300);
            await().atMost(Duration.ofSeconds(30)).until(() -> witnessed(producer.digests().size(), both));
            WitnessedCheckpoint w = verify(both);
            assertEquals(2, w.cosignatures().size());
            assertTrue(w.cosignatures().stream().allMatch(c -> c.timestamp() > 0));
            evidenceForTheFirstLeafIsAWitnessedCheckpointThatExtendsIt(producer.digests().get(0), both);

            WitnessedChainInfra.standalone.close();
            producer.sendBatch(200);
            long whileDown = producer.digests().size();
            await().atMost(Duration.ofSeconds(30)).until(() -> witnessed(whileDown, embeddedOnly));
            ProofException missing = assertThrows(ProofException.class, () -> verify(standaloneOnly));
            assertEquals(ProofErrorCode.WITNESS_THRESHOLD, missing.errorCode(), "sealed and served without it");

            WitnessedChainInfra.standalone = StandaloneWitness.start(
                    WitnessedChainInfra.standaloneSettings(WitnessedChainInfra.standaloneDir), WitnessedChainInfra.standalonePort);
            await().atMost(Duration.ofSeconds(40)).until(() -> witnessed(whileDown, both));

            WitnessedChainInfra.standalone.close();
            Path forkedDir = WitnessedChainInfra.tempDir("forked-witness-");
            try (Witness forked = Witness.open(WitnessedChainInfra.standaloneSettings(forkedDir))) {
                byte[] fork = SignedCheckpoints.sign(new Checkpoint(ChainNodeApi.ORIGIN, 100, new byte[32]),
                        WitnessedChainInfra.logKey);
                assertEquals(200, forked.addCheckpoint(new AddCheckpointRequest(0, List.of(), fork).encode()).status());
            }
            WitnessedChainInfra.standalone = StandaloneWitness.start(WitnessedChainInfra.standaloneSettings(forkedDir),
                    WitnessedChainInfra.standalonePort);
            producer.sendBatch(50);
            String standaloneName = WitnessedChainInfra.standaloneKey.name();
            await().atMost(Duration.ofSeconds(40)).until(
                    () -> Metrics.value("tracemark_chain_witness_split_views_total", "witness", standaloneName) >= 1);
            assertEquals(0, Metrics.value("tracemark_chain_witness_split_views_total", "witness",
                    WitnessedChainInfra.embeddedKey.name()), "the embedded witness saw no fork");
            JsonPath ready = given().get("/q/health/ready").then().statusCode(200).extract().jsonPath();
            String check = "checks.find { it.name == 'chain-witnesses' }.data";
            assertTrue(ready.getLong(check + ".splitViews") >= 1);
            assertTrue(ready.getString(check + "['" + standaloneName + "']")
                    .contains("422 inconsistent with the checkpoint it cosigned (split view)"));
        }
    }

    /** What receipts carry: a witnessed checkpoint extending size 1 (the tree of the first leaf) and the proof. */
    private static void evidenceForTheFirstLeafIsAWitnessedCheckpointThatExtendsIt(byte[] firstDigest, WitnessPolicy policy) {
        JsonPath evidence = given().queryParam("from", 1).get("/v1/checkpoints/witnessed").then().statusCode(200)
                .extract().jsonPath();
        assertEquals("witnessed", evidence.getString("status"));
        WitnessedCheckpoint w = WitnessedCheckpoints.verify(evidence.getString("checkpoint").getBytes(StandardCharsets.UTF_8),
                ChainNodeApi.ORIGIN, VerifierSet.of(WitnessedChainInfra.logKey.verifier()), 1, policy, Instant.now());
        Checkpoint cp = w.checkpoint().checkpoint();
        byte[][] proof = evidence.getList("consistencyProof", String.class).stream()
                .map(h -> Base64.getDecoder().decode(h)).toArray(byte[][]::new);
        Rfc9162Verifier.verifyConsistency(1, cp.size(), Rfc9162Hasher.leafHash(firstDigest), cp.rootHash(), proof);
        given().queryParam("from", cp.size() + 1_000_000).get("/v1/checkpoints/witnessed").then().statusCode(404)
                .body("type", org.hamcrest.Matchers.endsWith("not-witnessed-yet"));
    }

    private static boolean witnessed(long size, WitnessPolicy policy) {
        try {
            return verify(policy).checkpoint().checkpoint().size() == size;
        } catch (ProofException e) {
            return false;
        }
    }

    private static WitnessedCheckpoint verify(WitnessPolicy policy) {
        return WitnessedCheckpoints.verify(ChainNodeApi.checkpointNoteBytes(), ChainNodeApi.ORIGIN,
                VerifierSet.of(WitnessedChainInfra.logKey.verifier()), 1, policy, Instant.now());
    }
}
