package io.tracemark.proofs.receipt;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The receipt's time evidence from authorities the log operator does not run: one RFC 3161 token
 * (§2.4.2) per external time-stamping authority that stamped SHA-256 of the receipt's own checkpoint
 * text (the same imprint as {@link Receipt.Timestamp}), and the configured authorities that had not
 * stamped it when the receipt was built.
 *
 * <p>An authority's name is only a label chosen by the operator: a verifier trusts a token because its
 * signer's certificate is in the verifier's trust input, never because of the name.
 *
 * @param tokens  tokens obtained, in the operator's order of authorities
 * @param missing names of configured authorities without a token for this checkpoint (down, slow or refused)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TimeAuthorities(List<Token> tokens, List<String> missing) {
    /** Copies the lists. */
    public TimeAuthorities {
        tokens = tokens == null ? List.of() : List.copyOf(tokens);
        missing = missing == null ? List.of() : List.copyOf(missing);
    }

    /**
     * One authority's token.
     *
     * @param name  the authority's configured name, e.g. {@code freetsa}
     * @param token base64 DER {@code TimeStampToken}
     */
    public record Token(String name, String token) {
    }

    /** Whether there is nothing to report: no token and no authority missing. */
    @JsonIgnore
    public boolean isEmpty() {
        return tokens.isEmpty() && missing.isEmpty();
    }
}
