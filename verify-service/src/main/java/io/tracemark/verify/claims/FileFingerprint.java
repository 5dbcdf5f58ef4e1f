package io.tracemark.verify.claims;

import io.tracemark.edge.problem.Problem;
import io.tracemark.edge.problem.ProblemException;
import io.tracemark.proofs.media.ImageException;
import io.tracemark.proofs.media.ImageFiles;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Hashes an uploaded file while it streams in: SHA-256 of the bytes and, for JPEG, PNG and WebP, the
 * pHash through {@link ImageFiles}, the same sniff-decode-hash path ingest used when the work was
 * registered, so an unchanged file gets exactly the stored bits.
 */
@ApplicationScoped
public class FileFingerprint {
    private final long maxBytes;

    public FileFingerprint(@ConfigProperty(name = "tracemark.verify.claims.max-file-size") MemorySize maxBytes) {
        this.maxBytes = maxBytes.asLongValue();
    }

    /**
     * A file's fingerprints. {@code phash} is null when the bytes are not a JPEG, PNG or WebP image,
     * or are one that cannot be hashed; then {@code unhashable} says why ({@code code: detail}).
     */
    public record Fingerprint(String sha256, Long phash, long size, String unhashable) {
    }

    /** Reads the stream to its end, refusing more than the configured size. */
    public Fingerprint of(InputStream in) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        // The bytes are kept only because image decoders need random access; they are never stored.
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        long size = 0;
        try (DigestInputStream d = new DigestInputStream(in, sha)) {
            for (int n; (n = d.read(buf)) > 0; ) {
                size += n;
                if (size > maxBytes) {
                    throw new ProblemException(Problem.of("payload-too-large", 413, "File too large")
                            .detail("files up to " + maxBytes + " bytes can be checked").retriable(false).build());
                }
                copy.write(buf, 0, n);
            }
        } catch (IOException e) {
            throw new ProblemException(Problem.of("upload-failed", 400, "The upload could not be read")
                    .retriable(true).build());
        }
        if (size == 0) {
            throw new ProblemException(Problem.of("validation", 400, "Empty file").retriable(false)
                    .field("", "file.empty", "send the file's bytes as the request body").build());
        }
        String sha256 = HexFormat.of().formatHex(sha.digest());
        byte[] bytes = copy.toByteArray();
        if (ImageFiles.sniff(bytes).isEmpty()) {
            return new Fingerprint(sha256, null, size, null);
        }
        try {
            return new Fingerprint(sha256, ImageFiles.phash(bytes), size, null);
        } catch (ImageException e) {
            return new Fingerprint(sha256, null, size, e.code() + ": " + e.getMessage());
        }
    }
}
