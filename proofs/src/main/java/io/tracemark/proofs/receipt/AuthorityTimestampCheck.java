package io.tracemark.proofs.receipt;

import io.tracemark.proofs.ProofErrorCode;
import io.tracemark.proofs.ProofException;
import io.tracemark.proofs.StrictBase64;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@link CheckCode#AUTHORITY_TIMESTAMPS} check: every external authority's token in the receipt
 * ({@link TimeAuthorities}) is signed by a TSA certificate of the trust input and stamps SHA-256 of the
 * receipt's checkpoint text. One bad token fails the check, naming the authority; the facts list each
 * authority with its time, so a user sees which clocks vouch for the checkpoint.
 */
final class AuthorityTimestampCheck {
    private AuthorityTimestampCheck() {
    }

    static ReceiptCheck check(TimeAuthorities authorities, byte[] stamped, VerificationPolicy policy) {
        if (authorities == null || authorities.isEmpty()) {
            return ReceiptCheck.skipped(CheckCode.AUTHORITY_TIMESTAMPS, "the receipt carries no external authority's token");
        }
        List<Map<String, Object>> each = new ArrayList<>();
        List<String> passed = new ArrayList<>();
        Set<String> names = new HashSet<>();
        String failure = null;
        for (TimeAuthorities.Token t : authorities.tokens()) {
            Map<String, Object> facts = new LinkedHashMap<>();
            facts.put("name", t.name());
            if (t.name() == null || t.name().isBlank() || !names.add(t.name())) {
                facts.put("status", "invalid");
                each.add(facts);
                failure = failure != null ? failure : "timestamp.malformed: authority names must be present and distinct ('"
                        + t.name() + "')";
                continue;
            }
            try {
                byte[] der = StrictBase64.decode(t.token(), ProofErrorCode.TLOG_PROOF_MALFORMED, "authority token");
                TimestampTokens.Verified v = TimestampTokens.verify(der, stamped, policy.trustedTsa());
                facts.put("status", "valid");
                facts.put("genTime", v.genTime().toString());
                facts.put("tsa", v.signer().getSubject().toString());
                facts.put("serialNumber", v.serialNumber());
                passed.add(t.name() + " at " + v.genTime() + " ('" + v.signer().getSubject() + "')");
            } catch (ProofException | IllegalArgumentException e) {
                facts.put("status", "invalid");
                facts.put("reason", e.getMessage());
                failure = failure != null ? failure : reasonNaming(t.name(), e.getMessage());
            }
            each.add(facts);
        }
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("authorities", each);
        facts.put("missing", authorities.missing());
        String expected = Integer.toString(authorities.tokens().size());
        String computed = Integer.toString(passed.size());
        String missing = authorities.missing().isEmpty() ? ""
                : "; no token from " + String.join(", ", authorities.missing());
        if (failure != null) {
            return ReceiptCheck.fail(CheckCode.AUTHORITY_TIMESTAMPS, expected, computed, failure + missing).with(facts);
        }
        if (passed.isEmpty()) {
            return ReceiptCheck.skipped(CheckCode.AUTHORITY_TIMESTAMPS, "no external authority's token" + missing)
                    .with(facts);
        }
        return ReceiptCheck.pass(CheckCode.AUTHORITY_TIMESTAMPS, expected, computed, passed.size()
                + " external authorit" + (passed.size() == 1 ? "y" : "ies") + " time-stamped the checkpoint: "
                + String.join(", ", passed) + missing).with(facts);
    }

    /** The verifier's reason with the authority named after its stable code, e.g. {@code timestamp.signer.untrusted: authority 'x': …}. */
    private static String reasonNaming(String name, String reason) {
        int colon = reason == null ? -1 : reason.indexOf(": ");
        String label = "authority '" + name + "'";
        return colon < 0 ? "timestamp.malformed: " + label + ": " + reason
                : reason.substring(0, colon) + ": " + label + ": " + reason.substring(colon + 2);
    }
}
