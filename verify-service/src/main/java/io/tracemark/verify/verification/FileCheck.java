package io.tracemark.verify.verification;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracemark.edge.problem.Problem;
import io.tracemark.edge.problem.ProblemException;
import io.tracemark.proofs.canonical.RecordDigest;
import io.tracemark.proofs.receipt.CheckCode;

import java.io.IOException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * {@code file.digest.match}: the file the caller holds is the one the record registered, i.e. its
 * SHA-256 equals the {@code sha256} in the record's payload.
 */
final class FileCheck {
    static final String CODE = CheckCode.FILE_DIGEST;
    private static final ObjectMapper JSON = new ObjectMapper();

    private FileCheck() {
    }

    /**
     * The check against a canonical record text (null when erased), or null when the caller sent neither
     * {@code file} nor {@code fileSha256}.
     */
    static Check of(JsonNode body, String canonical) {
        String computed;
        if (body.has("file")) {
            try {
                computed = HexFormat.of().formatHex(RecordDigest.sha256(Base64.getDecoder().decode(body.get("file").asText(""))));
            } catch (IllegalArgumentException e) {
                throw invalid("/file", "file.invalid", "file is the file's bytes in base64");
            }
        } else if (body.has("fileSha256")) {
            computed = body.get("fileSha256").asText("");
            if (!computed.matches("[0-9a-f]{64}")) {
                throw invalid("/fileSha256", "sha256.invalid", "fileSha256 is 64 lowercase hex digits");
            }
        } else {
            return null;
        }
        if (canonical == null) {
            return Check.skip(CODE, "the receipt has no record to compare the file with");
        }
        String registered;
        try {
            registered = JSON.readTree(canonical).path("payload").path("sha256").asText(null);
        } catch (IOException e) {
            return Check.fail(CODE, "the canonical record is not JSON");
        }
        if (registered == null) {
            return Check.fail(CODE, "the record registers no file SHA-256");
        }
        return registered.equals(computed) ? Check.pass(CODE, "the file's SHA-256 is the registered one")
                : Check.mismatch(CODE, "the file differs from the registered one", registered, computed);
    }

    private static ProblemException invalid(String pointer, String code, String detail) {
        return new ProblemException(Problem.of("validation", 400, "Invalid verification request").retriable(false)
                .field(pointer, code, detail).build());
    }
}
