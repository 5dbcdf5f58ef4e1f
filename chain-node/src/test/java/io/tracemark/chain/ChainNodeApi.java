package io.tracemark.chain;

import static io.restassured.RestAssured.given;

import io.restassured.path.json.JsonPath;
import io.tracemark.chain.checkpoint.Checkpoint;
import io.tracemark.chain.checkpoint.NoteVerifier;
import io.tracemark.chain.checkpoint.SignedNote;
import java.util.Base64;
import java.util.List;

/** Small HTTP client helpers over RestAssured for chain-node tests. */
final class ChainNodeApi {
    private ChainNodeApi() {
    }

    static SignedNote checkpointNote() {
        return SignedNote.parse(given().get("/checkpoint").then().statusCode(200).extract().asString());
    }

    static Checkpoint checkpoint() {
        return Checkpoint.parse(checkpointNote().text());
    }

    static List<NoteVerifier> verifierKeys() {
        List<String> keys = given().get("/v1/keys").then().statusCode(200).extract().jsonPath().getList("verifierKeys");
        return keys.stream().map(NoteVerifier::parse).toList();
    }

    static JsonPath inclusion(long index, long size) {
        return given().queryParam("index", index).queryParam("size", size).get("/v1/proofs/inclusion")
                .then().statusCode(200).extract().jsonPath();
    }

    static byte[][] hashes(JsonPath proof) {
        return proof.getList("hashes", String.class).stream().map(Base64.getDecoder()::decode).toArray(byte[][]::new);
    }
}
