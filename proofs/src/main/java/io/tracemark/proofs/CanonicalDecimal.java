package io.tracemark.proofs;

/**
 * Canonical ASCII decimals as C2SP text formats write sizes: digits only, no sign, no leading
 * zeroes (only {@code 0} itself starts with 0), so a number has exactly one accepted encoding.
 */
public final class CanonicalDecimal {
    private CanonicalDecimal() {
    }

    /**
     * Parses a non-negative decimal in canonical form.
     *
     * @throws ProofException with {@code code} if {@code s} is not canonical or exceeds 2^63-1
     */
    public static long parse(String s, ProofErrorCode code, String what) {
        boolean digits = !s.isEmpty() && s.length() <= 19 && s.chars().allMatch(c -> c >= '0' && c <= '9');
        if (!digits || (s.length() > 1 && s.charAt(0) == '0')) {
            throw new ProofException(code, what + " '" + s + "' is not a canonical decimal");
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new ProofException(code, what + " " + s + " is too large");
        }
    }
}
