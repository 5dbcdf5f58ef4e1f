package io.tracemark.ingest.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracemark.ingest.records.IntakeRequest;
import io.tracemark.ingest.records.RecordType;
import io.tracemark.ingest.records.ValidatedPayload;
import io.tracemark.ingest.records.Validation;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.canonical.CanonicalJson;
import io.tracemark.proofs.media.PerceptualHash;
import jakarta.enterprise.context.ApplicationScoped;
import org.bson.Document;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A media work claim: the file's SHA-256 (sent, or measured from an upload), for images a 64-bit
 * pHash, metadata, and optionally the claimant's signature over the claim.
 *
 * <p>Index fields for near-duplicate search: {@code keys.phash} (16 hex) and {@code keys.phashChunks},
 * the four 16-bit chunks tagged with their position ({@code i << 16 | chunk_i}) so one multikey index
 * serves all four. Two hashes within distance 10 share at least one chunk with at most 2 differing
 * bits (pigeonhole), so a reader enumerates, per chunk, the 137 values within radius 2 and finds
 * every candidate with one {@code $in} query, then checks the full distance.
 */
@ApplicationScoped
public class MediaWorkType implements RecordType {
    /** The envelope type name of media works. */
    public static final String NAME = "media.work";
    private static final Set<String> KNOWN = Set.of("title", "creators", "rightsHolder", "licence", "mediaType",
            "description", "sha256", "signature");
    private static final Pattern MEDIA_TYPE = Pattern.compile(
            "(application|audio|font|image|model|text|video)/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern PHASH = Pattern.compile("[0-9a-f]{16}");
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ValidatedPayload validate(JsonNode payload, Validation v) {
        return validate(new IntakeRequest(NAME, null, payload), v);
    }

    @Override
    public ValidatedPayload validate(IntakeRequest request, Validation v) {
        JsonNode p = request.payload();
        ObjectNode measured = request.measured();
        if (p == null || !p.isObject()) {
            v.fail("/payload", "type.object", "a media work is a JSON object");
            return null;
        }
        p.fieldNames().forEachRemaining(f -> {
            if (!KNOWN.contains(f)) {
                v.fail("/payload/" + f, "field.unknown", "unknown field '" + f + "'");
            }
        });
        ObjectNode out = F.objectNode();
        text(p, "title", 1, 500, true, v, out);
        creators(p.get("creators"), v, out);
        text(p, "rightsHolder", 1, 200, false, v, out);
        text(p, "licence", 1, 200, false, v, out);
        text(p, "description", 1, 5000, false, v, out);
        JsonNode mt = p.get("mediaType");
        if (mt == null || !mt.isTextual() || !MEDIA_TYPE.matcher(mt.asText()).matches()) {
            v.fail("/payload/mediaType", "media-type.invalid", "mediaType is a registered type/subtype such as image/jpeg");
        } else {
            out.put("mediaType", mt.asText());
        }
        String sha = sha256(p.get("sha256"), measured, v);
        if (sha != null) {
            out.put("sha256", sha);
        }
        String phash = null;
        if (measured != null) {
            if (measured.has("size")) {
                out.put("size", measured.get("size").asLong());
            }
            if (measured.hasNonNull("phash")) {
                phash = measured.get("phash").asText();
                out.put("phash", phash);
            }
            String sniffed = measured.path("detectedMediaType").asText(null);
            if (sniffed != null && mt != null && mt.isTextual() && mt.asText().startsWith("image/") && !sniffed.equals(mt.asText())) {
                v.fail("/payload/mediaType", "media-type.mismatch", "declared " + mt.asText() + " but the file is " + sniffed);
            }
        }
        String keyHash = signature(p, v, out);
        if (!v.ok()) {
            return null;
        }
        Document keys = new Document("sha256", sha);
        if (phash != null && PHASH.matcher(phash).matches()) {
            keys.append("phash", phash);
            List<Integer> tagged = new ArrayList<>(4);
            int[] c = PerceptualHash.chunks(PerceptualHash.parse(phash));
            for (int i = 0; i < 4; i++) {
                tagged.add(i << 16 | c[i]);
            }
            keys.append("phashChunks", tagged);
        }
        if (keyHash != null) {
            keys.append("claimantKeySha256", keyHash);
        }
        return new ValidatedPayload(out, keys);
    }

    private static void text(JsonNode p, String field, int min, int max, boolean required, Validation v, ObjectNode out) {
        JsonNode n = p.get(field);
        if (n == null && !required) {
            return;
        }
        if (n == null || !n.isTextual() || n.asText().strip().length() < min || n.asText().length() > max) {
            v.fail("/payload/" + field, field.toLowerCase() + ".invalid",
                    field + (required ? " is required, " : " is ") + "text of " + min + " to " + max + " characters");
            return;
        }
        out.put(field, n.asText());
    }

    private static void creators(JsonNode n, Validation v, ObjectNode out) {
        if (n == null || !n.isArray() || n.isEmpty() || n.size() > 50) {
            v.fail("/payload/creators", "creators.invalid", "creators is an array of 1 to 50 names");
            return;
        }
        ArrayNode arr = out.putArray("creators");
        for (int i = 0; i < n.size(); i++) {
            JsonNode c = n.get(i);
            if (!c.isTextual() || c.asText().isBlank() || c.asText().length() > 200) {
                v.fail("/payload/creators/" + i, "creators.invalid", "a creator is a name of 1 to 200 characters");
            } else {
                arr.add(c.asText());
            }
        }
    }

    private static String sha256(JsonNode claimed, ObjectNode measured, Validation v) {
        String computed = measured == null ? null : measured.path("sha256").asText(null);
        if (claimed != null && (!claimed.isTextual() || !SHA256.matcher(claimed.asText()).matches())) {
            v.fail("/payload/sha256", "digest.invalid", "sha256 is 64 lower-case hex digits");
            return null;
        }
        if (claimed == null && computed == null) {
            v.fail("/payload/sha256", "digest.required", "send the file's sha256, or upload the file");
            return null;
        }
        if (claimed != null && computed != null && !claimed.asText().equals(computed)) {
            v.fail("/payload/sha256", "digest.mismatch", "expected " + claimed.asText() + " (sent), computed " + computed
                    + " from the uploaded file");
            return null;
        }
        return computed != null ? computed : claimed.asText();
    }

    /** Verifies the optional signature over JCS(payload without signature); returns SHA-256 hex of the key. */
    private static String signature(JsonNode p, Validation v, ObjectNode out) {
        JsonNode sig = p.get("signature");
        if (sig == null) {
            return null;
        }
        ClaimSignatures.Alg alg;
        byte[] key;
        byte[] value;
        try {
            alg = ClaimSignatures.Alg.valueOf(sig.path("alg").asText());
        } catch (IllegalArgumentException e) {
            v.fail("/payload/signature/alg", "signature.alg", "alg is Ed25519 or ES256");
            return null;
        }
        try {
            key = Base64.getDecoder().decode(sig.path("publicKey").asText(""));
            value = Base64.getDecoder().decode(sig.path("value").asText(""));
        } catch (IllegalArgumentException e) {
            v.fail("/payload/signature", "signature.encoding", "publicKey and value are base64");
            return null;
        }
        if (key.length == 0 || key.length > 200 || value.length == 0 || value.length > 200) {
            v.fail("/payload/signature", "signature.encoding", "publicKey and value are required (base64)");
            return null;
        }
        if (!p.has("sha256")) {
            v.fail("/payload/sha256", "signature.unbound", "a signed claim includes the file's sha256 so it binds the file");
            return null;
        }
        ObjectNode claim = ((ObjectNode) p).deepCopy();
        claim.remove("signature");
        byte[] signed;
        try {
            signed = CanonicalJson.canonicalize(claim);
        } catch (ProofException e) {
            v.fail("/payload", "json.not-i-json", e.getMessage());
            return null;
        }
        ClaimSignatures.Failure f = ClaimSignatures.verify(alg, key, signed, value);
        if (f != null) {
            v.fail("/payload" + f.pointer(), f.code(), f.detail());
            return null;
        }
        out.putObject("signature").put("alg", alg.name()).put("publicKey", sig.get("publicKey").asText())
                .put("value", sig.get("value").asText());
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
