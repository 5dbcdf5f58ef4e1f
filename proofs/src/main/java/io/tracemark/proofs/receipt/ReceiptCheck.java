package io.tracemark.proofs.receipt;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of one verification step of a receipt.
 *
 * @param code     stable dotted identifier, see {@link CheckCode}
 * @param status   pass, fail or skipped
 * @param expected the value the receipt claims (hex for hashes), or {@code null}
 * @param computed the value recomputed from the receipt's data, or {@code null}
 * @param detail   human-readable explanation; on failure it starts with the underlying error code
 * @param facts    structured evidence the check looked at (e.g. which keys signed, which time-stamp was
 *                 checked); empty when there is none
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ReceiptCheck(String code, Status status, String expected, String computed, String detail,
                           Map<String, Object> facts) {
    /** Outcome of a check. */
    public enum Status {
        /** The check ran and held. */
        PASS,
        /** The check ran and failed: the receipt must not be trusted. */
        FAIL,
        /** The check could not run, e.g. content erased or no token issued. */
        SKIPPED
    }

    /** Copies the facts. */
    public ReceiptCheck {
        facts = facts == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(facts));
    }

    /** A check without structured facts. */
    public ReceiptCheck(String code, Status status, String expected, String computed, String detail) {
        this(code, status, expected, computed, detail, Map.of());
    }

    static ReceiptCheck pass(String code, String expected, String computed, String detail) {
        return new ReceiptCheck(code, Status.PASS, expected, computed, detail);
    }

    static ReceiptCheck fail(String code, String expected, String computed, String detail) {
        return new ReceiptCheck(code, Status.FAIL, expected, computed, detail);
    }

    static ReceiptCheck skipped(String code, String detail) {
        return new ReceiptCheck(code, Status.SKIPPED, null, null, detail);
    }

    /** This check with {@code facts} attached. */
    public ReceiptCheck with(Map<String, Object> more) {
        return new ReceiptCheck(code, status, expected, computed, detail, more);
    }

    /** Whether the check failed. */
    public boolean failed() {
        return status == Status.FAIL;
    }
}
