package io.tracemark.contracts;

/**
 * A message that does not follow its contract. Fatal for that message (retrying cannot fix it), so
 * consumers park it on a dead-letter topic with {@link #code()} and {@link #getMessage()} as the reason.
 */
public final class ContractViolation extends IllegalArgumentException {
    private final String code;

    /** A violation with a stable machine-readable code such as {@code anchor-request.digest}. */
    public ContractViolation(String code, String message) {
        super(message);
        this.code = code;
    }

    /** A violation caused by a parse failure. */
    public ContractViolation(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** Stable machine-readable code of what is wrong. */
    public String code() {
        return code;
    }
}
