package io.tracemark.chain.witness;

import io.tracemark.proofs.witness.TlogSize;
import java.nio.charset.StandardCharsets;

/**
 * A witness answer exactly as C2SP tlog-witness "add-checkpoint" prescribes it: status code, media
 * type and body.
 *
 * @param status HTTP status code
 * @param contentType media type of the body
 * @param body response body
 */
public record WitnessResponse(int status, String contentType, byte[] body) {
    private static final String TEXT = "text/plain; charset=utf-8";

    /** 200 with the cosignature lines. */
    public static WitnessResponse cosigned(String signatureLines) {
        return new WitnessResponse(200, TEXT, signatureLines.getBytes(StandardCharsets.UTF_8));
    }

    /** 409 with the size of the latest cosigned checkpoint, as {@code text/x.tlog.size}. */
    public static WitnessResponse conflict(long knownSize) {
        return new WitnessResponse(409, TlogSize.CONTENT_TYPE, TlogSize.encode(knownSize).getBytes(StandardCharsets.US_ASCII));
    }

    /** An error status with a one-line plain-text reason. */
    public static WitnessResponse refused(int status, String reason) {
        return new WitnessResponse(status, TEXT, (reason + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** 200 with a cosigned checkpoint note, for monitors. */
    public static WitnessResponse note(byte[] note) {
        return new WitnessResponse(200, TEXT, note);
    }

    /** The body as text. */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
