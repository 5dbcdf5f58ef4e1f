package io.tracemark.attest.webhooks;

/** A sealed value that {@link SecretBox} cannot open; the message names the reason, never key or plaintext. */
public final class SecretBoxException extends RuntimeException {
    /** Why a value did not open, as a stable machine-readable code. */
    public enum Code {
        /** Not {@code v1:<key-id>:<base64url>} with at least a nonce and a tag. */
        MALFORMED("secret.malformed"),
        /** A version other than {@code v1}. */
        UNSUPPORTED_VERSION("secret.unsupported-version"),
        /** Sealed under a key id that is not in the configured key list. */
        UNKNOWN_KEY("secret.unknown-key"),
        /** GCM tag check failed: nonce, ciphertext, tag or associated data changed, or a different key. */
        AUTHENTICATION_FAILED("secret.authentication-failed");

        private final String code;

        Code(String code) {
            this.code = code;
        }

        /** The stable code string, e.g. {@code secret.unknown-key}. */
        public String code() {
            return code;
        }
    }

    private final Code code;

    SecretBoxException(Code code, String detail) {
        super(code.code() + ": " + detail);
        this.code = code;
    }

    /** Why the value did not open. */
    public Code code() {
        return code;
    }
}
