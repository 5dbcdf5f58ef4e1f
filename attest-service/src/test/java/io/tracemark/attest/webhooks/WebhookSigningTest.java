package io.tracemark.attest.webhooks;

import com.standardwebhooks.Webhook;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WebhookSigningTest {
    private static Map<String, List<String>> headers(String id, long ts, String signature) {
        return Map.of("webhook-id", List.of(id), "webhook-timestamp", List.of(Long.toString(ts)),
                "webhook-signature", List.of(signature));
    }

    @Test
    void aBodySignedAsBytesVerifiesWithTheStandardWebhooksLibraryUnderEverySecret() {
        String body = "{\"type\":\"record.anchored\",\"note\":\"Müller – 東京\"}";
        String old = WebhookSigning.newSecret();
        String fresh = WebhookSigning.newSecret();
        long ts = System.currentTimeMillis() / 1000;
        String header = WebhookSigning.signatureHeader("msg_1", ts, body.getBytes(StandardCharsets.UTF_8), List.of(fresh, old));
        assertDoesNotThrow(() -> new Webhook(fresh).verify(body, headers("msg_1", ts, header)));
        assertDoesNotThrow(() -> new Webhook(old).verify(body, headers("msg_1", ts, header)));
        assertThrows(Exception.class, () -> new Webhook(WebhookSigning.newSecret()).verify(body, headers("msg_1", ts, header)));
        assertThrows(Exception.class, () -> new Webhook(fresh).verify(body + " ", headers("msg_1", ts, header)));
    }

    @Test
    void bytesAndTextOfTheSameBodySignAlike() {
        String secret = WebhookSigning.newSecret();
        String body = "{\"a\":\"é\"}";
        assertEquals(WebhookSigning.signatureHeader("msg_2", 1_700_000_000L, body, List.of(secret)),
                WebhookSigning.signatureHeader("msg_2", 1_700_000_000L, body.getBytes(StandardCharsets.UTF_8), List.of(secret)));
    }
}
