package io.tracemark.verify;

import com.mongodb.client.MongoClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tracemark.proofs.cli.VerifyCli;
import io.tracemark.proofs.note.Note;
import io.tracemark.proofs.receipt.Receipt;
import io.tracemark.proofs.receipt.ReceiptJson;
import io.tracemark.proofs.receipt.TimeAuthorities;
import io.tracemark.proofs.receipt.TimestampTokens;
import io.tracemark.proofs.tlogproof.TlogProof;
import io.tracemark.testsupport.TracemarkInfraResource;
import io.tracemark.testsupport.tsa.OpensslTsa;
import io.tracemark.verify.fixtures.LoopbackChainNode;
import io.tracemark.verify.fixtures.LoopbackChainResource;
import io.tracemark.verify.fixtures.Registry;
import io.tracemark.verify.fixtures.TestTsa;
import jakarta.inject.Inject;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Receipts carry the tokens of the log's own TSA and of an external authority that is OpenSSL's TSA in a
 * process of its own, over the receipt's own checkpoint; every verifier checks each against its certificate.
 */
@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
@QuarkusTestResource(LoopbackChainResource.class)
class ExternalTimeAuthoritiesTest {
    private static OpensslTsa independent;

    @Inject
    MongoClient mongo;
    @ConfigProperty(name = "tracemark.mongodb.database")
    String database;
    @TempDir
    Path dir;

    @BeforeAll
    static void startIndependentAuthority() throws Exception {
        assertTrue(OpensslTsa.available(), "openssl is not installed: run ./tracemark test-tools");
        independent = OpensslTsa.start("Independent Test TSA");
        LoopbackChainNode.shared().useAuthority(independent);
    }

    @AfterAll
    static void stopIndependentAuthority() {
        LoopbackChainNode.shared().useAuthority(null);
        independent.close();
    }

    private String anchoredRecord(String lot) {
        Registry registry = new Registry(mongo, database, LoopbackChainNode.shared());
        Registry.Stored r = registry.register("acme", "product.batch", Map.of("lot", lot), new Document(), Instant.now());
        registry.anchor(r, Instant.now());
        return r.id();
    }

    private static Receipt receipt(String id) {
        return ReceiptJson.read(given().get("/v1/receipts/" + id).then().statusCode(200).extract().asByteArray());
    }

    private static byte[] checkpointText(Receipt r) {
        return Note.parse(TlogProof.parse(r.tlogProof().getBytes(StandardCharsets.UTF_8)).signedCheckpoint()).textBytes();
    }

    @Test
    void aReceiptCarriesTwoTokensFromTwoAuthoritiesEachVerifyingWithOpensslAgainstItsOwnCertificate() throws Exception {
        Receipt r = receipt(anchoredRecord("TWO-CLOCKS"));
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(checkpointText(r)));
        byte[] own = Base64.getDecoder().decode(r.timestamp().token());
        assertEquals(List.of("independent"), r.authorities().tokens().stream().map(TimeAuthorities.Token::name).toList());
        assertEquals(List.of("down-tsa"), r.authorities().missing());
        byte[] external = Base64.getDecoder().decode(r.authorities().tokens().get(0).token());

        Path ownCert = Files.writeString(dir.resolve("log-tsa.pem"), LoopbackChainNode.shared().tsaCertificate());
        OpensslTsa.Verification logs = OpensslTsa.verify(own, digest, ownCert);
        assertTrue(logs.ok(), logs.output());
        OpensslTsa.Verification theirs = independent.verify(external, digest);
        assertTrue(theirs.ok(), theirs.output());
        assertFalse(OpensslTsa.verify(external, digest, ownCert).ok(), "the independent token is not the log's");
        assertFalse(independent.verify(own, digest).ok(), "the log's token is not the independent authority's");
    }

    @Test
    void publicVerificationReportsEachAuthoritysTimeAndNamesTheMissingOne() {
        String id = anchoredRecord("VERDICT-CLOCKS");
        JsonPath v = given().contentType("application/json").body("{\"recordId\":\"" + id + "\"}").post("/v1/verify")
                .then().statusCode(200).extract().jsonPath();
        assertEquals("valid", v.getString("verdict"), v.prettify());
        Map<String, Object> check = v.getMap("checks.find { it.code == 'timestamp.authorities.valid' }");
        assertEquals("pass", check.get("result"), check.toString());
        assertTrue(check.get("detail").toString().matches("1 external authority time-stamped the checkpoint: independent at "
                + "\\S+Z \\('CN=Independent Test TSA'\\); no token from down-tsa"), check.toString());
    }

    @Test
    void theOfflineVerifierNamesEachAuthorityAndRefusesATokenWhoseCertificateIsNotInTheKeysFile() throws Exception {
        String id = anchoredRecord("CLI-CLOCKS");
        Path keys = Files.write(dir.resolve("keys.json"), given().get("/v1/keys").then().statusCode(200).extract().asByteArray());
        Receipt r = receipt(id);
        Path good = Files.writeString(dir.resolve("receipt.json"), ReceiptJson.write(r));
        String ok = cli("receipt", good.toString(), "--keys", keys.toString(), "--threshold", "2");
        assertTrue(ok.matches("OK record " + id + " is leaf .*; time-stamped \\S+Z by trusted TSA 'CN=Loopback TSA.*"
                + "; time-stamped \\S+Z by authority 'independent' \\('CN=Independent Test TSA'\\); no token from authority "
                + "'down-tsa' \\(9 checks passed, 1 skipped\\)"), ok);

        // The same receipt with the independent authority's token swapped for a stranger's over the same checkpoint.
        TestTsa stranger = new TestTsa("Stranger TSA");
        byte[] strangers = TimestampTokens.tokenBytes(stranger.stamp(MessageDigest.getInstance("SHA-256")
                .digest(checkpointText(r))));
        Receipt mutated = r.withAuthorities(new TimeAuthorities(List.of(new TimeAuthorities.Token("independent",
                Base64.getEncoder().encodeToString(strangers))), r.authorities().missing()));
        Path bad = Files.writeString(dir.resolve("mutated.json"), ReceiptJson.write(mutated));
        String refused = cli("receipt", bad.toString(), "--keys", keys.toString(), "--threshold", "2");
        String serial = TimestampTokens.parseCertificatePem(stranger.certificatePem()).getSerialNumber().toString();
        assertEquals("FAIL timestamp.authorities.valid: timestamp.signer.untrusted: authority 'independent': the token is "
                + "signed by 'CN=Stranger TSA' (issuer 'CN=Stranger TSA', serial " + serial + "), which is not among the 3 "
                + "trusted TSA certificate(s); no token from down-tsa (expected 1, computed 0)", refused);
    }

    private static String cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        VerifyCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8).strip();
    }
}
