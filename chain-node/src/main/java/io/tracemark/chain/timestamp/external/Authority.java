package io.tracemark.chain.timestamp.external;

import io.tracemark.proofs.receipt.TimestampTokens;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * An external RFC 3161 time-stamping authority as the operator configured it: a name receipts use, the
 * URL of its HTTP endpoint (RFC 3161 §3.4) and the certificate its tokens must be signed with.
 *
 * @param name           short label, {@code [A-Za-z0-9._-]}, e.g. {@code freetsa}
 * @param url            the endpoint requests are POSTed to
 * @param certificate    the trusted signing certificate
 * @param certificatePem the same, PEM, as published at {@code /v1/keys}
 */
public record Authority(String name, URI url, X509CertificateHolder certificate, String certificatePem) {
    /**
     * Parses one configured entry {@code <name> <url> <certificate PEM file>}.
     *
     * @throws IllegalArgumentException naming the entry when it is malformed or the certificate unreadable
     */
    public static Authority parse(String entry) {
        String[] parts = entry.trim().split("\\s+");
        if (parts.length != 3) {
            throw new IllegalArgumentException("external TSA '" + entry.trim()
                    + "' must be '<name> <url> <certificate PEM file>'");
        }
        String name = parts[0];
        if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("external TSA name '" + name + "' must be 1-64 of A-Z a-z 0-9 . _ -");
        }
        URI url;
        try {
            url = URI.create(parts[1]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("external TSA '" + name + "': not a URL: " + parts[1], e);
        }
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("external TSA '" + name + "': URL must be http or https: " + url);
        }
        String pem;
        try {
            pem = Files.readString(Path.of(parts[2]));
        } catch (IOException e) {
            throw new IllegalArgumentException("external TSA '" + name + "': cannot read certificate " + parts[2], e);
        }
        try {
            return new Authority(name, url, TimestampTokens.parseCertificatePem(pem), pem);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("external TSA '" + name + "': " + parts[2] + ": " + e.getMessage(), e);
        }
    }
}
