package io.tracemark.chain.timestamp.external;

import io.tracemark.proofs.receipt.TimestampTokens;
import java.io.IOException;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;

/**
 * Asks one authority for an RFC 3161 token over HTTP (RFC 3161 §3.4, {@code application/timestamp-query}),
 * with Bouncy Castle TSP for the request and response and the JDK HTTP client, and accepts only a token
 * that answers this request (nonce, imprint) and verifies against the authority's configured certificate.
 */
final class Rfc3161Client {
    private final Authority authority;
    private final HttpClient http;
    private final Duration timeout;
    private final SecureRandom random = new SecureRandom();

    Rfc3161Client(Authority authority, Duration timeout) {
        this.authority = authority;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /**
     * The DER {@code TimeStampToken} over SHA-256 of {@code stamped}.
     *
     * @throws IOException with a short reason when there is no usable answer
     */
    byte[] stamp(byte[] stamped, byte[] sha256) throws IOException, InterruptedException {
        TimeStampRequestGenerator gen = new TimeStampRequestGenerator();
        // No certificates in the token: receipts carry the token alone, verifiers bring the certificate.
        gen.setCertReq(false);
        TimeStampRequest request = gen.generate(TSPAlgorithms.SHA256, sha256, new BigInteger(64, random));
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(authority.url()).timeout(timeout)
                .header("Content-Type", "application/timestamp-query").header("Accept", "application/timestamp-reply")
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.getEncoded())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IOException("HTTP " + r.statusCode());
        }
        byte[] token;
        try {
            TimeStampResponse response = new TimeStampResponse(r.body());
            response.validate(request);
            if (response.getTimeStampToken() == null) {
                throw new IOException("no token granted (status " + response.getStatus() + ": "
                        + response.getStatusString() + ")");
            }
            token = response.getTimeStampToken().getEncoded();
        } catch (TSPException | IllegalArgumentException e) {
            throw new IOException("unusable answer: " + e.getMessage(), e);
        }
        try {
            TimestampTokens.verify(token, stamped, List.of(authority.certificate()));
        } catch (IllegalArgumentException e) {
            throw new IOException("token refused: " + e.getMessage(), e);
        }
        return token;
    }
}
