package io.tracemark.verify;

import com.mongodb.client.MongoClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.tracemark.proofs.note.VerifierSet;
import io.tracemark.proofs.receipt.Receipt;
import io.tracemark.proofs.receipt.ReceiptCheck;
import io.tracemark.proofs.receipt.ReceiptJson;
import io.tracemark.proofs.receipt.ReceiptVerifier;
import io.tracemark.proofs.receipt.TimestampTokens;
import io.tracemark.proofs.receipt.VerificationPolicy;
import io.tracemark.proofs.receipt.WitnessEvidence;
import io.tracemark.proofs.receipt.CheckCode;
import io.tracemark.proofs.cosignature.Ed25519CosignatureSigner;
import io.tracemark.proofs.cosignature.WitnessPolicy;
import java.security.SecureRandom;
import io.tracemark.testsupport.TracemarkInfraResource;
import io.tracemark.verify.fixtures.LoopbackChainNode;
import io.tracemark.verify.fixtures.LoopbackChainResource;
import io.tracemark.verify.fixtures.Registry;
import jakarta.inject.Inject;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The served receipt verifies offline: with the proofs library, and with the README's own offline command
 * run as written (curl and the CLI jar in a shell), only the hosts pointed at this test's services.
 */
@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
@QuarkusTestResource(LoopbackChainResource.class)
class OfflineReceiptCheckTest {
    /** The README's command block under "Checking a receipt offline". */
    private static final Pattern README_BLOCK = Pattern.compile("### Checking a receipt offline.*?```sh\\n(.*?)```",
            Pattern.DOTALL);

    @Inject
    MongoClient mongo;
    @ConfigProperty(name = "tracemark.mongodb.database")
    String database;
    @TempDir
    Path dir;

    private String anchoredRecord() {
        Registry registry = new Registry(mongo, database, LoopbackChainNode.shared());
        Registry.Stored r = registry.register("acme", "product.batch", Map.of("lot", "OFFLINE"), new Document(), Instant.now());
        registry.anchor(r, Instant.now());
        return r.id();
    }

    @Test
    void servedReceiptVerifiesOfflineWithTheProofsLibraryAndTheLogsTsa() {
        String json = given().get("/v1/receipts/" + anchoredRecord()).then().statusCode(200).extract().asString();
        Receipt r = ReceiptJson.read(json.getBytes(StandardCharsets.UTF_8));
        LoopbackChainNode chain = LoopbackChainNode.shared();
        var policy = new VerificationPolicy(LoopbackChainNode.ORIGIN, VerifierSet.parse(chain.verifierKeys()), 2,
                List.of(TimestampTokens.parseCertificatePem(chain.tsaCertificate())), true);
        List<ReceiptCheck> checks = ReceiptVerifier.verify(r, policy);
        assertTrue(ReceiptVerifier.firstFailure(checks).isEmpty(), checks.toString());
    }

    @Test
    void servedReceiptGainsTheWitnessesCosignaturesOnALaterCheckpointAndPassesAWitnessPolicyOffline() {
        String id = anchoredRecord();
        Receipt first = ReceiptJson.read(given().get("/v1/receipts/" + id).then().statusCode(200)
                .extract().asString().getBytes(StandardCharsets.UTF_8));
        assertEquals(WitnessEvidence.UNWITNESSED, first.witnessing().status());
        assertTrue(first.witnessing().reason().startsWith("no checkpoint of size " + first.block().treeSize()
                + " or more is witnessed yet"), first.witnessing().reason());

        // Witnesses skip sizes: they cosign a later checkpoint, which the receipt then carries with the proof to it.
        LoopbackChainNode chain = LoopbackChainNode.shared();
        Ed25519CosignatureSigner w1 = Ed25519CosignatureSigner.generate("witness.example/w1", new SecureRandom(),
                () -> Instant.now().getEpochSecond());
        Ed25519CosignatureSigner w2 = Ed25519CosignatureSigner.generate("witness.example/w2", new SecureRandom(),
                () -> Instant.now().getEpochSecond());
        synchronized (chain) {
            chain.append("5e".repeat(32));
            chain.seal();
            chain.cosignLatest(w1);
            chain.cosignLatest(w2);
        }
        Receipt witnessed = ReceiptJson.read(given().get("/v1/receipts/" + id).then().statusCode(200).extract().asString()
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(WitnessEvidence.WITNESSED, witnessed.witnessing().status());
        assertEquals(first.tlogProof(), witnessed.tlogProof(), "the receipt's own checkpoint stays the one that included it");
        var policy = new VerificationPolicy(LoopbackChainNode.ORIGIN, VerifierSet.parse(chain.verifierKeys()), 2,
                List.of(TimestampTokens.parseCertificatePem(chain.tsaCertificate())), true)
                .withWitnesses(WitnessPolicy.of(List.of(w1.verifier(), w2.verifier()), 2), true);
        List<ReceiptCheck> checks = ReceiptVerifier.verify(witnessed, policy);
        assertTrue(ReceiptVerifier.firstFailure(checks).isEmpty(), checks.toString());
        ReceiptCheck w = checks.stream().filter(c -> c.code().equals(CheckCode.CHECKPOINT_WITNESSED)).findFirst().orElseThrow();
        assertEquals(List.of("witness.example/w1", "witness.example/w2"), w.facts().get("cosignedBy"));
        assertTrue((Long) w.facts().get("treeSize") > first.block().treeSize());
    }

    @Test
    void readmeOfflineCommandPassesOnTheServedReceipt() throws Exception {
        String id = anchoredRecord();
        String out = runReadmeBlock(id);
        assertTrue(out.startsWith("OK record " + id + " is leaf "), out);
        assertTrue(out.contains("checkpoint signed by 2 of 2 trusted keys (threshold 2)"), out);
        assertTrue(out.contains("by trusted TSA 'CN=Loopback TSA"), out);
    }

    @Test
    void readmeOfflineCommandPassesOnTheReceiptOfARecordWhoseContentWasErased() throws Exception {
        Registry registry = new Registry(mongo, database, LoopbackChainNode.shared());
        Registry.Stored r = registry.register("acme", "product.batch", Map.of("lot", "ERASED"), new Document(), Instant.now());
        registry.anchor(r, Instant.now());
        registry.erase(r, Instant.now());
        String json = given().get("/v1/receipts/" + r.id()).then().statusCode(200).extract().asString();
        Receipt receipt = ReceiptJson.read(json.getBytes(StandardCharsets.UTF_8));
        assertEquals(null, receipt.record().canonical());
        assertEquals(null, receipt.record().salt());
        String out = runReadmeBlock(r.id());
        assertTrue(out.startsWith("OK record " + r.id() + " is leaf "), out);
    }

    /** Runs the README block in a shell with the hosts replaced; returns its output, failing on a non-zero exit. */
    private String runReadmeBlock(String id) throws IOException, InterruptedException {
        Path repo = Path.of("..").toRealPath();
        Matcher m = README_BLOCK.matcher(Files.readString(repo.resolve("README.md")));
        assertTrue(m.find(), "README has no offline check block");
        String script = m.group(1)
                .replace("http://localhost:8083", LoopbackChainNode.shared().url())
                .replace("http://localhost:8080", "http://localhost:" + RestAssured.port);
        Files.createSymbolicLink(dir.resolve("proofs"), repo.resolve("proofs"));
        ProcessBuilder pb = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script).directory(dir.toFile())
                .redirectErrorStream(true);
        pb.environment().put("ID", id);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the README command did not finish");
        assertEquals(0, p.exitValue(), script + "\n" + out);
        return out;
    }
}
