package io.tracemark.verify.verification;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * The overall answer of a verification: {@code valid} when every check passed or was skipped,
 * {@code valid-with-warnings} when some warn, {@code invalid} when any failed, and
 * {@code indeterminate} when none failed but some could not be completed.
 *
 * @param verdict  overall verdict
 * @param recordId record the receipt is about, when known
 * @param checks   every check in evaluation order
 */
@Schema(name = "Verdict")
public record Verdict(@Schema(required = true, enumeration = {VALID, VALID_WITH_WARNINGS, INVALID, INDETERMINATE}) String verdict,
                      @Schema(nullable = true) String recordId,
                      @Schema(required = true) List<Check> checks) {
    public static final String VALID = "valid";
    public static final String VALID_WITH_WARNINGS = "valid-with-warnings";
    public static final String INVALID = "invalid";
    public static final String INDETERMINATE = "indeterminate";

    /** Folds the checks into a verdict. */
    public static Verdict of(String recordId, List<Check> checks) {
        String v = VALID;
        if (checks.stream().anyMatch(c -> Check.FAIL.equals(c.result()))) {
            v = INVALID;
        } else if (checks.stream().anyMatch(c -> Check.ERROR.equals(c.result()))) {
            v = INDETERMINATE;
        } else if (checks.stream().anyMatch(c -> Check.WARN.equals(c.result()))) {
            v = VALID_WITH_WARNINGS;
        }
        return new Verdict(v, recordId, List.copyOf(checks));
    }
}
