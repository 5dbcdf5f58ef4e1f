package io.tracemark.chain.http;

import java.util.HexFormat;

/** Strict parsing of request parameters. */
final class Params {
    private Params() {
    }

    static long nonNegative(String name, String value) {
        if (value == null || value.isEmpty() || value.length() > 19 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw ProblemException.badRequest(name, "integer.invalid", name + " must be a non-negative decimal integer");
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest(name, "integer.out-of-range", name + " is out of range");
        }
    }

    static byte[] hash(String name, String value) {
        if (value == null || value.length() != 64) {
            throw ProblemException.badRequest(name, "hash.invalid", name + " must be 64 hex digits");
        }
        try {
            return HexFormat.of().parseHex(value.toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(name, "hash.invalid", name + " must be 64 hex digits");
        }
    }
}
