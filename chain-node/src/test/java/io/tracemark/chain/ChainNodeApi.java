package io.tracemark.chain;

import static io.restassured.RestAssured.given;

import io.restassured.path.json.JsonPath;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.checkpoint.Checkpoint;
import io.tracemark.proofs.note.Note;
import io.tracemark.proofs.note.NoteVerifier;
import io.tracemark.proofs.note.Notes;
import io.tracemark.proofs.note.VerifierSet;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** Small HTTP client helpers over RestAssured for chain-node tests. */
final class ChainNodeApi {
    static final String ORIGIN = "tracemark.local/log";

    private ChainNodeApi() {
    }

    static byte[] checkpointNoteBytes() {
        return given().get("/checkpoint").then().statusCode(200).extract().asByteArray();
    }

    static Note checkpointNote() {
        return Note.parse(checkpointNoteBytes());
    }

    static Checkpoint checkpoint() {
        return Checkpoint.parse(checkpointNote().text());
    }

    static List<String> verifierKeyStrings() {
        return given().get("/v1/keys").then().statusCode(200).extract().jsonPath().getList("verifierKeys");
    }

    static VerifierSet verifierKeys() {
        return VerifierSet.parse(verifierKeyStrings());
    }

    /** Whether {@code note} carries a valid signature by {@code key}. */
    static boolean isSignedBy(String note, NoteVerifier key) {
        try {
            Notes.open(note.getBytes(StandardCharsets.UTF_8), VerifierSet.of(key));
            return true;
        } catch (ProofException e) {
            return false;
        }
    }

    static JsonPath inclusion(long index, long size) {
        return given().queryParam("index", index).queryParam("size", size).get("/v1/proofs/inclusion")
                .then().statusCode(200).extract().jsonPath();
    }

    static byte[][] hashes(JsonPath proof) {
        return proof.getList("hashes", String.class).stream().map(Base64.getDecoder()::decode).toArray(byte[][]::new);
    }
}
