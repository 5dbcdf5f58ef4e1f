package io.tracemark.chain.timestamp;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The replica's RFC 3161 TSA key and certificate as PEM files the operator supplies (in production, Docker secrets),
 * instead of the pair generated into the data dir on first start.
 *
 * @param key         PEM EC private key (PKCS #8 or SEC 1)
 * @param certificate PEM certificate of that key, extended key usage id-kp-timeStamping (critical)
 */
public record TsaKeyFiles(Path key, Path certificate) {
    /** Both files, or none when neither is configured; one without the other is a configuration error. */
    public static Optional<TsaKeyFiles> of(Optional<String> key, Optional<String> certificate) {
        Optional<String> k = key.filter(s -> !s.isBlank());
        Optional<String> c = certificate.filter(s -> !s.isBlank());
        if (k.isPresent() != c.isPresent()) {
            throw new IllegalArgumentException("tracemark.chain.tsa.key-file and tracemark.chain.tsa.certificate-file "
                    + "go together: give both or neither");
        }
        return k.map(f -> new TsaKeyFiles(Path.of(f), Path.of(c.get())));
    }
}
