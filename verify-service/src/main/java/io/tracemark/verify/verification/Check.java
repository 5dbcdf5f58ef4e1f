package io.tracemark.verify.verification;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.tracemark.proofs.receipt.ReceiptCheck;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Map;

/**
 * One verification step's outcome. {@code code} is a stable identifier clients switch on; a
 * mismatch names the {@code expected} and {@code computed} values (hex for hashes).
 *
 * @param code     stable check code, e.g. {@code inclusion.proof.valid}
 * @param result   {@code pass}, {@code fail}, {@code warn}, {@code skip} or {@code error}
 * @param detail   human-readable explanation
 * @param expected value the check expected, on a mismatch
 * @param computed value the check computed or found, on a mismatch
 * @param data     structured facts, e.g. the keys that signed or the prior registration
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Check")
public record Check(@Schema(required = true, example = "inclusion.proof.valid") String code,
                    @Schema(required = true, enumeration = {PASS, FAIL, WARN, SKIP, ERROR}) String result,
                    String detail, String expected, String computed, Map<String, Object> data) {
    public static final String PASS = "pass";
    public static final String FAIL = "fail";
    public static final String WARN = "warn";
    public static final String SKIP = "skip";
    public static final String ERROR = "error";

    /** An offline check of {@code proofs}' verifier, with the same code, values and facts. */
    public static Check of(ReceiptCheck c) {
        String result = switch (c.status()) {
            case PASS -> PASS;
            case FAIL -> FAIL;
            case SKIPPED -> SKIP;
        };
        return new Check(c.code(), result, c.detail(), c.expected(), c.computed(), c.facts().isEmpty() ? null : c.facts());
    }

    /** A passed check. */
    public static Check pass(String code, String detail) {
        return new Check(code, PASS, detail, null, null, null);
    }

    /** A failed check. */
    public static Check fail(String code, String detail) {
        return new Check(code, FAIL, detail, null, null, null);
    }

    /** A failed comparison naming both values. */
    public static Check mismatch(String code, String detail, String expected, String computed) {
        return new Check(code, FAIL, detail, expected, computed, null);
    }

    /** A check that could not apply to this input. */
    public static Check skip(String code, String detail) {
        return new Check(code, SKIP, detail, null, null, null);
    }

    /** A check that could not be completed (e.g. the ledger was unreachable); says nothing either way. */
    public static Check error(String code, String detail) {
        return new Check(code, ERROR, detail, null, null, null);
    }

    /** A finding that does not invalidate the proof but that a relying party must know about. */
    public static Check warn(String code, String detail) {
        return new Check(code, WARN, detail, null, null, null);
    }

    /** This check with structured data attached. */
    public Check with(Map<String, Object> facts) {
        return new Check(code, result, detail, expected, computed, facts);
    }
}
