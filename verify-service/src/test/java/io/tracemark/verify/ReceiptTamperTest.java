package io.tracemark.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.MongoClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tracemark.testsupport.TracemarkInfraResource;
import io.tracemark.verify.fixtures.LoopbackChainNode;
import io.tracemark.verify.fixtures.LoopbackChainResource;
import io.tracemark.verify.fixtures.Registry;
import jakarta.inject.Inject;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static io.tracemark.verify.fixtures.VerifyClient.check;
import static io.tracemark.verify.fixtures.VerifyClient.receipt;
import static io.tracemark.verify.fixtures.VerifyClient.replaceCheckpoint;
import static io.tracemark.verify.fixtures.VerifyClient.replaceProofHashes;
import static io.tracemark.verify.fixtures.VerifyClient.signedCheckpoint;
import static io.tracemark.verify.fixtures.VerifyClient.tlogProof;
import static io.tracemark.verify.fixtures.VerifyClient.verifyReceipt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One byte changed anywhere in a receipt gives an invalid verdict whose failing checks include the one
 * responsible for that field. Text fields are mutated at many positions, binary fields (base64) in
 * their decoded bytes so that the encoding stays well-formed and the proof check itself must notice.
 */
@QuarkusTest
@QuarkusTestResource(TracemarkInfraResource.class)
@QuarkusTestResource(LoopbackChainResource.class)
class ReceiptTamperTest {
    @Inject
    MongoClient mongo;
    @ConfigProperty(name = "tracemark.mongodb.database")
    String database;

    ObjectNode original;

    @BeforeEach
    void anchorARecordInAMultiBlockLog() {
        Registry registry = new Registry(mongo, database, LoopbackChainNode.shared());
        for (int i = 0; i < 3; i++) {
            Registry.Stored pad = registry.register("acme", "product.batch", Map.of("lot", "PAD" + i), new Document(), Instant.now());
            registry.anchor(pad, Instant.now());
        }
        original = null;
        // The log is shared with other test classes, so its size is unknown: the last leaf of a tree of
        // 2^k + 1 leaves has a one-hash proof, and the next record then gets a longer one.
        for (int attempt = 0; original == null || tlogProof(original).hashes().size() < 2; attempt++) {
            assertTrue(attempt < 3, "no multi-hash inclusion proof after " + attempt + " records");
            Registry.Stored r = registry.register("acme", "product.batch", Map.of("gtin", "04006381333931", "lot", "LOT-T",
                    "quantity", 12 + attempt), new Document("gtin", "04006381333931").append("lot", "LOT-T"), Instant.now());
            registry.anchor(r, Instant.now());
            original = receipt(r.id());
        }
        assertEquals("valid", verifyReceipt(original).path("verdict").asText());
    }

    @Test
    void everyByteOfEveryRecordFieldIsProtected() {
        Map<String, String> responsible = Map.of("id", "record.fields.match", "tenant", "record.fields.match",
                "type", "record.fields.match", "salt", "record.fields.match", "digest", "record.digest.match",
                "canonical", "record.digest.match");
        int tried = 0;
        for (var e : responsible.entrySet()) {
            String value = original.path("record").path(e.getKey()).asText();
            for (int pos : positions(value.length())) {
                String tampered = value.substring(0, pos) + swap(value.charAt(pos)) + value.substring(pos + 1);
                assertFails(r -> ((ObjectNode) r.get("record")).put(e.getKey(), tampered), e.getValue(),
                        "record." + e.getKey() + "[" + pos + "]");
                tried++;
            }
        }
        assertTrue(tried > 80, "tried " + tried);
    }

    @Test
    void everyFieldOfTheBlockHeaderAndTheLeafIndexIsProtected() {
        assertFails(r -> r.put("leafIndex", r.path("leafIndex").asLong() + 1), "leaf.index.match", "leafIndex+1");
        assertFails(r -> r.put("leafIndex", r.path("leafIndex").asLong() - 1), "leaf.index.match", "leafIndex-1");
        for (String f : List.of("height", "firstLeafIndex", "leafCount", "treeSize", "timeMillis")) {
            assertFails(r -> ((ObjectNode) r.get("block")).put(f, r.path("block").path(f).asLong() + 1),
                    "block.header.valid", "block." + f);
        }
        for (String f : List.of("previousHash", "root", "hash")) {
            String value = original.path("block").path(f).asText();
            for (int pos : positions(value.length())) {
                String tampered = value.substring(0, pos) + swap(value.charAt(pos)) + value.substring(pos + 1);
                assertFails(r -> ((ObjectNode) r.get("block")).put(f, tampered), "block.header.valid", "block." + f + "[" + pos + "]");
            }
        }
    }

    @Test
    void everyByteOfTheInclusionProofIsProtected() {
        List<byte[]> hashes = tlogProof(original).hashes();
        assertTrue(hashes.size() >= 2, "a multi-block log gives a proof of several hashes");
        for (int i = 0; i < hashes.size(); i++) {
            for (int b = 0; b < 32; b += 3) {
                List<byte[]> tampered = new ArrayList<>(hashes);
                byte[] h = hashes.get(i).clone();
                h[b] ^= 0x01;
                tampered.set(i, h);
                assertFails(r -> replaceProofHashes(r, tampered), "inclusion.proof.valid", "hash[" + i + "][" + b + "]");
            }
        }
        assertFails(r -> replaceProofHashes(r, hashes.subList(1, hashes.size())), "inclusion.proof.valid", "dropped hash");
    }

    @Test
    void everyByteOfTheSignedCheckpointIsProtected() {
        String note = signedCheckpoint(original);
        int tried = 0;
        for (int pos : positions(note.length())) {
            char c = note.charAt(pos);
            if (c == '\n' || c == ' ' || c == '\u2014' || c == '+') {
                continue;
            }
            String tampered = note.substring(0, pos) + swap(c) + note.substring(pos + 1);
            assertFails(r -> replaceCheckpoint(r, tampered), "checkpoint.signature.valid", "checkpoint[" + pos + "]");
            tried++;
        }
        assertTrue(tried > 20, "tried " + tried);
    }

    @Test
    void everyByteOfTheTimestampTokenIsProtected() {
        byte[] token = Base64.getDecoder().decode(original.path("timestamp").path("token").asText());
        for (int pos : positions(token.length)) {
            int p = pos;
            assertFails(r -> {
                byte[] t = token.clone();
                t[p] ^= 0x01;
                ((ObjectNode) r.get("timestamp")).put("token", Base64.getEncoder().encodeToString(t));
            }, "timestamp.token.valid", "timestamp.token[" + pos + "]");
        }
    }

    private void assertFails(Consumer<ObjectNode> tamper, String code, String what) {
        ObjectNode r = original.deepCopy();
        tamper.accept(r);
        JsonNode v = verifyReceipt(r);
        assertEquals("invalid", v.path("verdict").asText(), what + ": " + v);
        assertEquals("fail", check(v, code).path("result").asText(), what + " should fail " + code + ": " + v.toPrettyString());
    }

    /** Every position of short values, about 25 spread over long ones, always including both ends. */
    private static List<Integer> positions(int length) {
        List<Integer> out = new ArrayList<>();
        int step = Math.max(1, length / 25);
        for (int i = 0; i < length; i += step) {
            out.add(i);
        }
        out.add(length - 1);
        return out;
    }

    /** A different character of the same class, so hex stays hex and base32 stays base32. */
    static char swap(char c) {
        if (c >= '0' && c <= '8') {
            return (char) (c + 1);
        }
        if (c == '9') {
            return '0';
        }
        if (c >= 'a' && c < 'z') {
            return c == 'f' ? 'a' : (char) (c + 1);
        }
        if (c >= 'A' && c < 'Y') {
            return c == 'H' ? 'J' : c == 'N' ? 'P' : (char) (c + 1);
        }
        return c == 'x' ? 'y' : 'x';
    }
}
