package io.tracemark.proofs.receipt;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The outcome of one verification step of a receipt.
 *
 * @param code     stable dotted identifier, see {@link CheckCode}
 * @param status   pass, fail or skipped
 * @param expected the value the receipt claims (hex for hashes), or {@code null}
 * @param computed the value recomputed from the receipt's data, or {@code null}
 * @param detail   human-readable explanation; on failure it starts with the underlying error code
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReceiptCheck(String code, Status status, String expected, String computed, String detail) {
    /** Outcome of a check. */
    public enum Status {
        /** The check ran and held. */
        PASS,
        /** The check ran and failed: the receipt must not be trusted. */
        FAIL,
        /** The check could not run, e.g. content erased or no token issued. */
        SKIPPED
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

    /** Whether the check failed. */
    public boolean failed() {
        return status == Status.FAIL;
    }
}
