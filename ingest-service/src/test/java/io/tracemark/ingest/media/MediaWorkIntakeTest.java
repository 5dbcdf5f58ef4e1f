package io.tracemark.ingest.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.tracemark.edge.auth.ApiKeyStore;
import io.tracemark.edge.auth.Role;
import io.tracemark.proofs.canonical.CanonicalJson;
import io.tracemark.proofs.media.ImageFiles;
import io.tracemark.proofs.media.PerceptualHash;
import io.tracemark.testsupport.KafkaTestClient;
import io.tracemark.testsupport.TracemarkInfraResource;
import jakarta.inject.Inject;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.io.ByteArrayOutputStream;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
class MediaWorkIntakeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @Inject
    ApiKeyStore keys;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    String apiKey;

    @BeforeEach
    void tenant() {
        apiKey = keys.issue("works-" + UUID.randomUUID().toString().substring(0, 8), EnumSet.of(Role.READ, Role.WRITE)).apiKey();
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    static byte[] png(long seed) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(MediaImages.picture(seed, 320, 240), "png", out);
        return out.toByteArray();
    }

    private ObjectNode metadata() {
        ObjectNode m = JSON.createObjectNode().put("title", "Harbour at dawn").put("mediaType", "image/png")
                .put("rightsHolder", "Ada Example").put("licence", "CC-BY-4.0");
        m.putArray("creators").add("Ada Example");
        return m;
    }

    private RequestSpecification auth() {
        return given().header("Authorization", "Bearer " + apiKey);
    }

    private Response postJson(ObjectNode body) {
        return auth().contentType("application/json").body(body.toString()).post("/v1/works");
    }

    private Response upload(ObjectNode meta, byte[] file, String fileType) {
        return auth().multiPart("metadata", meta.toString(), "application/json")
                .multiPart("file", "work.bin", file, fileType).post("/v1/works");
    }

    private JsonNode anchorRequest(String recordId) throws Exception {
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
            return JSON.readTree(kafka.consume("tracemark.anchor-requests", 1, Duration.ofSeconds(30),
                    r -> recordId.equals(r.key())).get(0).value());
        }
    }

    @Test
    void registersWorkBySha256AndForwardsItInTheAnchorRequest() throws Exception {
        String sha = sha256("some audio".getBytes());
        String id = postJson(metadata().put("mediaType", "audio/mpeg").put("sha256", sha)).then().statusCode(201)
                .body("digest", matchesPattern("[0-9a-f]{64}")).extract().path("id");
        JsonNode req = anchorRequest(id);
        assertEquals(sha, req.path("work").path("sha256").asText());
        assertEquals(true, req.path("work").path("phash").isNull());
    }

    @Test
    void uploadedPngGetsSha256SizeAndPerceptualHashWithChunks() throws Exception {
        byte[] file = png(1);
        String id = upload(metadata(), file, "image/png").then().statusCode(201).extract().path("id");
        Response stored = auth().get("/v1/records/" + id);
        stored.then().statusCode(200).body("keys.sha256", equalTo(sha256(file)))
                .body("keys.phash", matchesPattern("[0-9a-f]{16}")).body("keys.phashChunks", hasSize(4));
        String phash = stored.path("keys.phash");
        // The shared decode-and-hash path verify-service also runs on uploaded files.
        assertEquals(PerceptualHash.hex(ImageFiles.phash(file)), phash);
        List<Integer> chunks = stored.path("keys.phashChunks");
        int[] expected = PerceptualHash.chunks(PerceptualHash.parse(phash));
        for (int i = 0; i < 4; i++) {
            assertEquals(i << 16 | expected[i], chunks.get(i));
        }
        JsonNode canonical = JSON.readTree(stored.<String>path("canonical"));
        assertEquals(file.length, canonical.path("payload").path("size").asLong());
        assertEquals(phash, canonical.path("payload").path("phash").asText());
        assertEquals(phash, anchorRequest(id).path("work").path("phash").asText());
    }

    @Test
    void uploadedWebpIsDecodedAndHashedAsImagehashDoes() throws Exception {
        byte[] webp;
        try (var in = getClass().getResourceAsStream("/phash/photo-q80.webp")) {
            webp = in.readAllBytes();
        }
        String id = upload(metadata().put("mediaType", "image/webp"), webp, "image/webp").then().statusCode(201)
                .extract().path("id");
        // imagehash.phash of this file, from proofs' src/test/resources/phash/vectors.tsv.
        auth().get("/v1/records/" + id).then().statusCode(200).body("keys.phash", equalTo("893d6cbeec525185"));
    }

    @Test
    void uploadedJpegRecompressionIsANearDuplicateOfThePng() throws Exception {
        String pngId = upload(metadata(), png(4), "image/png").then().statusCode(201).extract().path("id");
        byte[] jpeg = MediaImages.jpeg(MediaImages.picture(4, 320, 240), 0.5f);
        String jpgId = upload(metadata().put("mediaType", "image/jpeg"), jpeg, "image/jpeg").then().statusCode(201)
                .extract().path("id");
        long a = PerceptualHash.parse(auth().get("/v1/records/" + pngId).path("keys.phash"));
        long b = PerceptualHash.parse(auth().get("/v1/records/" + jpgId).path("keys.phash"));
        int d = PerceptualHash.distance(a, b);
        org.junit.jupiter.api.Assertions.assertTrue(d <= 10, "distance " + d);
    }

    @Test
    void signedClaimIsVerifiedAndItsPublicKeyStored() throws Exception {
        KeyPair kp = KeyPairGenerator.getInstance("Ed25519", new BouncyCastleProvider()).generateKeyPair();
        ObjectNode claim = metadata().put("sha256", sha256(png(2)));
        byte[] sig = ClaimSignaturesTest.sign("Ed25519", kp, CanonicalJson.canonicalize(claim));
        String pub = Base64.getEncoder().encodeToString(kp.getPublic().getEncoded());
        ObjectNode signed = claim.deepCopy();
        signed.putObject("signature").put("alg", "Ed25519").put("publicKey", pub)
                .put("value", Base64.getEncoder().encodeToString(sig));
        String id = upload(signed, png(2), "image/png").then().statusCode(201).extract().path("id");
        JsonNode canonical = JSON.readTree(auth().get("/v1/records/" + id).<String>path("canonical"));
        assertEquals(pub, canonical.path("payload").path("signature").path("publicKey").asText());
        signed.put("title", "Another title");
        upload(signed, png(2), "image/png").then().statusCode(422)
                .body("errors.pointer", hasItem("/payload/signature/value")).body("errors.code", hasItem("signature.invalid"));
    }

    private void rejects(Consumer<ObjectNode> mutation, String pointer, String code) {
        ObjectNode m = metadata().put("sha256", "ab".repeat(32));
        mutation.accept(m);
        postJson(m).then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("https://tracemark.dev/problems/validation"))
                .body("errors.pointer", hasItem(pointer)).body("errors.code", hasItem(code));
    }

    @Test
    void rejectsMissingTitleAndCreators() {
        rejects(m -> m.remove("title"), "/payload/title", "title.invalid");
        rejects(m -> m.putArray("creators"), "/payload/creators", "creators.invalid");
    }

    @Test
    void rejectsInvalidMediaType() {
        rejects(m -> m.put("mediaType", "picture"), "/payload/mediaType", "media-type.invalid");
    }

    @Test
    void rejectsNonHexOrMissingDigest() {
        rejects(m -> m.put("sha256", "AB".repeat(32)), "/payload/sha256", "digest.invalid");
        rejects(m -> m.remove("sha256"), "/payload/sha256", "digest.required");
    }

    @Test
    void rejectsUnknownFieldsAndUnknownSignatureAlgorithm() {
        rejects(m -> m.put("owner", "x"), "/payload/owner", "field.unknown");
        rejects(m -> m.putObject("signature").put("alg", "RS256"), "/payload/signature/alg", "signature.alg");
    }

    @Test
    void rejectsUploadWhoseDeclaredDigestDiffersWithExpectedAndComputed() throws Exception {
        byte[] file = png(3);
        upload(metadata().put("sha256", "00".repeat(32)), file, "image/png").then().statusCode(422)
                .body("errors.code", hasItem("digest.mismatch"))
                .body("errors[0].detail", equalTo("expected " + "00".repeat(32) + " (sent), computed " + sha256(file)
                        + " from the uploaded file"));
    }

    @Test
    void rejectsUploadWhoseBytesAreNotTheDeclaredImageType() throws Exception {
        byte[] jpeg = MediaImages.jpeg(MediaImages.picture(5, 64, 64), 0.9f);
        upload(metadata(), jpeg, "image/png").then().statusCode(422).body("errors.code", hasItem("media-type.mismatch"));
    }

    @Test
    void rejectsUndecodableImage() throws Exception {
        byte[] broken = png(6);
        byte[] truncated = java.util.Arrays.copyOf(broken, 60);
        upload(metadata(), truncated, "image/png").then().statusCode(422).body("errors.code", hasItem("image.undecodable"));
    }

    @Test
    void rejectsUploadWithoutFileOrOverTheSizeLimit() {
        auth().multiPart("metadata", metadata().toString(), "application/json").post("/v1/works")
                .then().statusCode(422).body("errors.code", hasItem("file.required"));
        upload(metadata().put("mediaType", "video/mp4"), new byte[2 * 1024 * 1024 + 1], "video/mp4").then().statusCode(413)
                .body("type", equalTo("https://tracemark.dev/problems/payload-too-large"));
    }
}
