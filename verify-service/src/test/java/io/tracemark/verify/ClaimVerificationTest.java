package io.tracemark.verify;

import com.mongodb.client.MongoClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.tracemark.proofs.canonical.RecordDigest;
import io.tracemark.proofs.media.ImageException;
import io.tracemark.proofs.media.ImageFiles;
import io.tracemark.proofs.media.PerceptualHash;
import io.tracemark.testsupport.TracemarkInfraResource;
import io.tracemark.verify.fixtures.Images;
import io.tracemark.verify.fixtures.LoopbackChainNode;
import io.tracemark.verify.fixtures.LoopbackChainResource;
import io.tracemark.verify.fixtures.Registry;
import jakarta.inject.Inject;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;

/** POST /v1/claims/verify with real images: exact and near-duplicate matches, priority and conflicts. */
@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
@QuarkusTestResource(LoopbackChainResource.class)
class ClaimVerificationTest {
    @Inject
    MongoClient mongo;
    @ConfigProperty(name = "tracemark.mongodb.database")
    String database;

    Registry registry;

    @BeforeEach
    void setUp() {
        registry = new Registry(mongo, database, LoopbackChainNode.shared());
    }

    /** Registers a work as ingest does: file SHA-256, pHash hex (ingest's shared decode path) and its four 16-bit chunks. */
    private Registry.Stored registerWork(String tenant, byte[] file, Instant at, boolean anchor) {
        String sha = HexFormat.of().formatHex(RecordDigest.sha256(file));
        long ph;
        try {
            ph = ImageFiles.phash(file);
        } catch (ImageException e) {
            throw new AssertionError(e);
        }
        Document keys = new Document("sha256", sha).append("phash", PerceptualHash.hex(ph))
                .append("phashChunks", Registry.phashChunks(ph));
        Registry.Stored r = registry.register(tenant, "media.work", Map.of("sha256", sha, "title", "work of " + tenant), keys, at);
        if (anchor) {
            registry.anchor(r, at.plusSeconds(1));
        }
        return r;
    }

    private ValidatableResponse claimFile(byte[] file, String claimant) {
        return given().contentType("application/octet-stream").body(file).queryParam("claimant", claimant)
                .post("/v1/claims/verify").then().statusCode(200);
    }

    @Test
    void transformedCopiesFindTheOriginalAndUnrelatedImagesDoNot() {
        BufferedImage scene = Images.scene(101);
        Registry.Stored original = registerWork("alice", Images.png(scene), Instant.now().minusSeconds(3600), true);
        Registry.Stored unrelated = registerWork("carol", Images.png(Images.scene(202)), Instant.now().minusSeconds(1800), true);
        byte[][] copies = {Images.png(Images.resize(scene, 0.5)), Images.jpeg(scene, 0.4f),
                Images.png(Images.crop(scene, 0.04)), Images.jpeg(Images.resize(Images.crop(scene, 0.03), 0.7), 0.6f)};
        for (byte[] copy : copies) {
            claimFile(copy, "bob")
                    .body("exactMatches.size()", equalTo(0))
                    .body("nearDuplicates.recordId", hasItem(original.id()))
                    .body("nearDuplicates.recordId", not(hasItem(unrelated.id())))
                    .body("nearDuplicates.distance", everyItem(lessThanOrEqualTo(10)))
                    .body("priority.recordId", equalTo(original.id()))
                    .body("priority.tenant", equalTo("alice"))
                    .body("priorityProven", equalTo(true))
                    .body("claimantHasPriority", equalTo(false));
        }
        claimFile(Images.png(Images.scene(303)), "dave").body("nearDuplicates.recordId", not(hasItem(original.id())));
    }

    @Test
    void exactFileMatchNamesEveryRegistrantAndTheEarliestAnchoredHasPriority() {
        byte[] file = Images.png(Images.scene(404));
        Registry.Stored first = registerWork("alice", file, Instant.now().minusSeconds(600), true);
        Registry.Stored copycat = registerWork("mallory", file, Instant.now().minusSeconds(60), true);
        Registry.Stored pending = registerWork("eve", file, Instant.now().minusSeconds(3000), false);
        claimFile(file, "alice")
                .body("exactMatches.recordId", hasItem(first.id()))
                .body("exactMatches.recordId", hasItem(copycat.id()))
                .body("exactMatches.recordId", hasItem(pending.id()))
                .body("priority.recordId", equalTo(first.id()))
                .body("claimantHasPriority", equalTo(true))
                .body("conflicts.tenant", hasItem("mallory"))
                .body("conflicts.tenant", hasItem("eve"))
                .body("conflicts.tenant", not(hasItem("alice")))
                .body("exactMatches.find { it.recordId == '" + first.id() + "' }.receiptUrl",
                        equalTo("/v1/receipts/" + first.id()))
                .body("exactMatches.find { it.recordId == '" + pending.id() + "' }.anchor.state", equalTo("accepted"));
    }

    @Test
    void fingerprintQueryHonoursTheThreshold() {
        BufferedImage scene = Images.scene(505);
        Registry.Stored work = registerWork("alice", Images.png(scene), Instant.now(), true);
        long ph = PerceptualHash.of(scene) ^ 0b1111L << 20;
        String body = "{\"phash\":\"" + PerceptualHash.hex(ph) + "\",\"threshold\":THRESHOLD}";
        given().contentType(ContentType.JSON).body(body.replace("THRESHOLD", "4")).post("/v1/claims/verify").then()
                .statusCode(200).body("nearDuplicates.find { it.recordId == '" + work.id() + "' }.distance", equalTo(4));
        given().contentType(ContentType.JSON).body(body.replace("THRESHOLD", "3")).post("/v1/claims/verify").then()
                .statusCode(200).body("nearDuplicates.recordId", not(hasItem(work.id())));
    }

    @Test
    void webpCopyOfARegisteredPngIsHashedAsImagehashDoesAndFoundAtDistanceZero() throws Exception {
        byte[] png;
        byte[] webp;
        try (var a = getClass().getResourceAsStream("/phash/photo-half.png");
             var b = getClass().getResourceAsStream("/phash/photo-q80.webp")) {
            png = a.readAllBytes();
            webp = b.readAllBytes();
        }
        Registry.Stored work = registerWork("alice", png, Instant.now().minusSeconds(60), true);
        // 893d6cbeec525185 is imagehash.phash of both files (proofs' src/test/resources/phash/vectors.tsv).
        claimFile(webp, "bob").body("query.phash", equalTo("893d6cbeec525185"))
                .body("nearDuplicates.find { it.recordId == '" + work.id() + "' }.distance", equalTo(0));
    }

    @Test
    void nonImageFilesAreMatchedExactlyOnly() {
        byte[] pdf = ("%PDF-1.7 not an image " + System.nanoTime()).getBytes();
        claimFile(pdf, null).body("query.phash", equalTo(null)).body("note", equalTo(
                "the file is not an image this service can decode, so only exact matches were searched"));
    }

    @Test
    void theFormAWorkIsRegisteredWithIsAcceptedAsAClaim() {
        BufferedImage scene = Images.scene(606);
        Registry.Stored original = registerWork("alice", Images.png(scene), Instant.now().minusSeconds(600), true);
        given().multiPart("metadata", "{\"title\":\"Dawn, again\",\"creators\":[\"Bob\"]}", "application/json")
                .multiPart("file", "dawn.jpg", Images.jpeg(scene, 0.5f), "image/jpeg")
                .queryParam("claimant", "bob").post("/v1/claims/verify").then().statusCode(200)
                .body("nearDuplicates.recordId", hasItem(original.id()))
                .body("priority.tenant", equalTo("alice"))
                .body("claimantHasPriority", equalTo(false));
        given().multiPart("metadata", "{\"title\":\"no file\"}", "application/json").post("/v1/claims/verify").then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors.pointer", hasItem("/file")).body("errors.code", hasItem("file.required"));
    }

    @Test
    void answersShowTheWorksFingerprintsButNotHowTheyAreIndexed() {
        byte[] file = Images.png(Images.scene(707));
        Registry.Stored work = registerWork("alice", file, Instant.now().minusSeconds(60), true);
        claimFile(file, "alice")
                .body("exactMatches[0].recordId", equalTo(work.id()))
                .body("exactMatches[0].keys.sha256", equalTo(work.keys().getString("sha256")))
                .body("exactMatches[0].keys.phash", equalTo(work.keys().getString("phash")))
                .body("exactMatches[0].keys", not(org.hamcrest.Matchers.hasKey("phashChunks")))
                .body("priority.keys", not(org.hamcrest.Matchers.hasKey("phashChunks")));
        given().get("/v1/records?sha256=" + work.keys().getString("sha256")).then().statusCode(200)
                .body("registrations[0].keys", not(org.hamcrest.Matchers.hasKey("phashChunks")));
    }

    @Test
    void invalidFingerprintsAreRejectedFieldByField() {
        given().contentType(ContentType.JSON).body("{\"sha256\":\"xyz\",\"phash\":12,\"threshold\":99,\"who\":1}")
                .post("/v1/claims/verify").then().statusCode(400).contentType("application/problem+json")
                .body("errors.pointer", hasItem("/sha256")).body("errors.pointer", hasItem("/phash"))
                .body("errors.pointer", hasItem("/threshold")).body("errors.pointer", hasItem("/who"));
    }
}
