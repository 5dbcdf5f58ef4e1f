package io.tracemark.chain;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tracemark.chain.config.TopicsConfig;
import io.tracemark.chain.timestamp.Timestamper;
import io.tracemark.contracts.ledger.AuthorityTimestamps;
import io.tracemark.contracts.ledger.AuthorityTimestampsCodec;
import io.tracemark.proofs.receipt.TimestampTokens;
import io.tracemark.testsupport.SharedInfra;
import io.tracemark.testsupport.tsa.OpensslTsa;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = ExternalTsaInfra.class, restrictToAnnotatedClass = true)
class ExternalTimestampAuthoritiesTest {
    @Inject
    TopicsConfig topics;

    @BeforeAll
    static void needsOpenssl() {
        // The stand-in authority is OpenSSL itself; without it there is nothing independent to test against.
        assertTrue(OpensslTsa.available(), "openssl is not installed: run ./tracemark test-tools");
    }

    private long sealLeaves(int n) {
        long before = ChainNodeApi.checkpoint().size();
        try (LeafProducer producer = new LeafProducer(SharedInfra.kafkaBootstrap(), topics.chainLeaves())) {
            producer.sendBatch(n);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> ChainNodeApi.checkpoint().size() >= before + n);
        return ChainNodeApi.checkpoint().size();
    }

    private static AuthorityTimestamps authorities(long size) {
        return AuthorityTimestampsCodec.decode(given().get("/v1/timestamps/" + size + "/authorities")
                .then().statusCode(200).contentType("application/json").extract().asByteArray());
    }

    private static String checkpointBody() {
        return ChainNodeApi.checkpointNote().text();
    }

    @Test
    void aCheckpointCarriesTwoTokensFromTwoAuthoritiesEachVerifyingWithOpensslAgainstItsOwnCertificate() throws Exception {
        long size = sealLeaves(40);
        String body = checkpointBody();
        String digest = HexFormat.of().formatHex(Timestamper.imprint(body));
        await().atMost(Duration.ofSeconds(20)).until(() -> authorities(size).tokens().stream()
                .anyMatch(t -> t.name().equals("independent")));
        byte[] external = Base64.getDecoder().decode(authorities(size).tokens().get(0).token());
        byte[] own = TimestampTokens.tokenBytes(await().atMost(Duration.ofSeconds(20)).until(() ->
                given().get("/v1/timestamps/" + size).then().extract(), r -> r.statusCode() == 200).asByteArray());

        OpensslTsa tsa = ExternalTsaInfra.independent;
        assertNotEquals(ProcessHandle.current().pid(), tsa.pid(), "the stand-in authority runs in a process of its own");
        OpensslTsa.Verification byIndependent = tsa.verify(external, digest);
        assertTrue(byIndependent.ok(), byIndependent.output());
        Path ownCert = Files.createTempFile("own-tsa-", ".pem");
        Files.writeString(ownCert, given().get("/v1/keys").then().extract().path("tsaCertificate").toString());
        // The replica's own TSA is the one whose key and certificate the operator supplied as files.
        assertEquals(pemBody(Files.readString(ExternalTsaInfra.ownCertificate)), pemBody(Files.readString(ownCert)));
        OpensslTsa.Verification byOwn = OpensslTsa.verify(own, digest, ownCert);
        assertTrue(byOwn.ok(), byOwn.output());

        // Each token verifies against its own authority's certificate only.
        assertTrue(!OpensslTsa.verify(external, digest, ownCert).ok(), "the independent token must not verify as the log's");
        assertTrue(!tsa.verify(own, digest).ok(), "the log's token must not verify as the independent authority's");
        String otherDigest = HexFormat.of().formatHex(Timestamper.imprint(body + "x"));
        assertTrue(!tsa.verify(external, otherDigest).ok(), "the token stamps this checkpoint, not another");
    }

    @Test
    void aDownOrSilentAuthorityDelaysNeitherSealingNorServingAndIsNamedAsMissing() {
        long started = System.nanoTime();
        long size = sealLeaves(25);
        Duration sealing = Duration.ofNanos(System.nanoTime() - started);
        // The silent authority alone needs two 3 s timeouts per checkpoint; sealing does not wait for it. (3 s, not
        // less: the healthy openssl authority must answer within it on a loaded machine, or it counts as missed.)
        assertTrue(sealing.compareTo(Duration.ofSeconds(6)) < 0, "sealing took " + sealing);

        long t0 = System.nanoTime();
        AuthorityTimestamps now = authorities(size);
        Duration serving = Duration.ofNanos(System.nanoTime() - t0);
        assertTrue(serving.compareTo(Duration.ofSeconds(3)) < 0, "serving took " + serving + ", as long as a silent authority's timeout");
        assertTrue(now.pending().contains("silent") || now.missing().contains("silent"), now.toString());

        await().atMost(Duration.ofSeconds(30)).until(() -> authorities(size).missing().containsAll(List.of("down", "silent")));
        AuthorityTimestamps later = authorities(size);
        assertEquals(List.of("independent"), later.tokens().stream().map(AuthorityTimestamps.Token::name).toList(), later.toString());

        JsonPath health = given().get("/q/health/ready").then().statusCode(200).extract().jsonPath();
        Map<String, Object> detail = health.getMap("checks.find { it.name == 'chain-timestamp-authorities' }.data");
        assertEquals("UP", health.getString("checks.find { it.name == 'chain-timestamp-authorities' }.status"));
        assertTrue(detail.get("down").toString().startsWith("degraded: attempt 2 of 2 for tree size "), detail.toString());
        assertTrue(detail.get("silent").toString().contains("no answer within PT3S"), detail.toString());
        assertTrue(detail.get("independent").toString().startsWith("ok: last token for tree size "), detail.toString());

        assertTrue(Metrics.value("tracemark_chain_tsa_external_retries_total", "authority", "down") >= 1);
        assertTrue(Metrics.value("tracemark_chain_tsa_external_failures_total", "authority", "silent") >= 2);
        assertTrue(Metrics.value("tracemark_chain_tsa_external_missed_total", "authority", "down") >= 1);
        assertTrue(Metrics.value("tracemark_chain_tsa_external_tokens_total", "authority", "independent") >= 1);
        assertEquals(0.0, Metrics.value("tracemark_chain_tsa_external_missed_total", "authority", "independent"));
    }

    @Test
    void keysListTheAuthoritiesWithTheCertificatesTheOperatorConfigured() throws Exception {
        JsonPath keys = given().get("/v1/keys").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("independent", "down", "silent"), keys.getList("timestampAuthorities.name"));
        assertEquals(ExternalTsaInfra.independent.certificatePem(), keys.getString("timestampAuthorities[0].certificate"));
        assertEquals(ExternalTsaInfra.independent.url().toString(), keys.getString("timestampAuthorities[0].url"));
    }

    @Test
    void authoritiesOfACheckpointNotSealedYetAreNotFound() {
        given().get("/v1/timestamps/" + (ChainNodeApi.checkpoint().size() + 1000) + "/authorities").then().statusCode(404)
                .contentType("application/problem+json");
        given().get("/v1/timestamps/x/authorities").then().statusCode(400);
    }

    private static String pemBody(String pem) {
        return pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    }
}
