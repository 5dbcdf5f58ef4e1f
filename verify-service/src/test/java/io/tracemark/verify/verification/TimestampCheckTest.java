package io.tracemark.verify.verification;

import io.tracemark.proofs.canonical.RecordDigest;
import io.tracemark.verify.chain.TrustPolicy;
import io.tracemark.verify.fixtures.TestTsa;
import org.bouncycastle.tsp.TimeStampResponse;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every single-bit change anywhere in a real RFC 3161 token fails {@code timestamp.token.valid}. */
class TimestampCheckTest {
    private static final String NOTE = "tracemark.local/log\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n\u2014 k AAAAAAA=\n";
    private static final String BODY = NOTE.substring(0, NOTE.indexOf("\n\n") + 1);

    @Test
    void everyBitOfTheTokenIsCoveredBySignatureOrPinnedShape() throws Exception {
        TestTsa tsa = new TestTsa("Unit TSA");
        byte[] token = new TimeStampResponse(tsa.stamp(RecordDigest.sha256(BODY.getBytes(StandardCharsets.UTF_8))))
                .getTimeStampToken().getEncoded();
        TrustPolicy.Snapshot trust = new TrustPolicy.Snapshot("tracemark.local/log", List.of(), null, 1,
                tsa.certificatePem(), 0);
        assertEquals("pass", TimestampCheck.check(receipt(token), trust).result());
        List<String> undetected = new ArrayList<>();
        for (int i = 0; i < token.length; i++) {
            for (int bit : new int[] {0x01, 0x80}) {
                byte[] t = token.clone();
                t[i] ^= (byte) bit;
                if (!"fail".equals(TimestampCheck.check(receipt(t), trust).result())) {
                    undetected.add(i + "^" + bit);
                }
            }
        }
        assertEquals(List.of(), undetected);
    }

    @Test
    void tokenFromAnotherTsaFails() throws Exception {
        TestTsa ours = new TestTsa("Ours");
        TestTsa theirs = new TestTsa("Theirs");
        byte[] token = new TimeStampResponse(theirs.stamp(RecordDigest.sha256(BODY.getBytes(StandardCharsets.UTF_8))))
                .getTimeStampToken().getEncoded();
        TrustPolicy.Snapshot trust = new TrustPolicy.Snapshot("o", List.of(), null, 1, ours.certificatePem(), 0);
        assertEquals("fail", TimestampCheck.check(receipt(token), trust).result());
    }

    private static ReceiptInput receipt(byte[] token) {
        return new ReceiptInput("r", "t", "d", "s", "{}", 0, 0, 1, List.of(), NOTE, null, List.of(), token, List.of());
    }
}
